"""A report table: what the page shows, its data table and its spreadsheet are the same
rows. A cell may be a ``Link`` (a number that leads to the people behind it); exports
keep its value."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    value: object
    url: str

    def __str__(self):
        return str(self.value)


def plain(value):
    return value.value if isinstance(value, Link) else value


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list

    def export_rows(self):
        return ([plain(cell) for cell in row] for row in self.rows)
