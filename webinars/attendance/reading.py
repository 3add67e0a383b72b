"""Reading webinar platforms' attendance reports: what every platform's report has in
common. The parsers of each platform are registered in ``webinars.attendance.platforms``.

The header row is found wherever it is (Zoom and Teams put a meeting summary above it).
Several rows of one person (rejoins) are summed. Duration comes from the duration column,
else leave − join.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _

MAX_REPORT_BYTES = 10 * 1024 * 1024
# No one attends one session for more than a day: a longer duration is a damaged report
# (and would not fit the database's minutes column).
MAX_ROW_MINUTES = 24 * 60

DATE_FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%d/%m/%Y %H:%M:%S",
]
DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b"
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReportError(Exception):
    """The report cannot be read; the message says why."""


@dataclass
class Attendee:
    name: str
    email: str
    minutes: float = 0
    rows: int = 0
    first_join: datetime | None = None
    last_leave: datetime | None = None


def decode(raw):
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportError(_("The report is larger than 10 MB."))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")  # Teams writes UTF-16 with a byte-order mark
        except UnicodeDecodeError as error:
            raise ReportError(
                _("The report is UTF-16 text but it is cut off or damaged.")
            ) from error
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError(_("The report is not a text (CSV) file."))


def parse_duration(text):
    """Minutes from "75", "75.5", "1:15:00", "01:15", "1h 15m 3s" or "75 mins"."""
    text = (text or "").strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?", text):
        parts = [int(p) for p in text.split(":")]
        if len(parts) == 2:
            parts.append(0)
        hours, minutes, seconds = parts
        return hours * 60 + minutes + seconds / 60
    units = dict.fromkeys(("h", "m", "s"), 0.0)
    found = re.findall(
        r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b", text
    )
    if not found:
        return None
    for number, unit in found:
        units[unit[0]] += float(number)
    return units["h"] * 60 + units["m"] + units["s"] / 60


def parse_time(text):
    text = (text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if value.tzinfo is None:
            # Reports without an offset are read as UTC (how the platforms export them).
            value = value.replace(tzinfo=UTC)
        return value
    return None


class ReportParser:
    """The participants report of one platform, as CSV or tab-separated text.

    Subclasses set ``key`` (stored with each import), ``label`` (shown to organizers) and
    ``columns``: our fields (``name``, ``email``, ``join``, ``leave``, ``duration``) mapped
    to the headers the platform uses, compared case-insensitively, first match wins.
    """

    key = ""
    label = ""
    columns = {}

    def find_columns(self, header):
        normalized = {cell.strip().lower(): index for index, cell in enumerate(header)}
        found = {}
        for field, names in self.columns.items():
            for name in names:
                if name.lower() in normalized:
                    found[field] = normalized[name.lower()]
                    break
        return found

    def parse(self, file):
        """Read a report (file object or bytes) and return one ``Attendee`` per person."""
        raw = file if isinstance(file, bytes) else file.read(MAX_REPORT_BYTES + 1)
        text = decode(raw)
        sample = text[:4096]
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        columns = None
        people = {}
        for line_number, row in _rows(text, delimiter):
            if not any(cell.strip() for cell in row):
                if columns is not None and people:
                    break  # Teams: the participants section ends at a blank line
                continue
            if columns is None:
                candidate = self.find_columns(row)
                # Zoom's meeting summary above the table has "User Email" and a duration
                # too, but no name column: it is not the participants' header.
                if {"name", "email"} <= candidate.keys() and (
                    "duration" in candidate or "join" in candidate
                ):
                    columns = candidate
                continue
            _add_row(people, row, columns, line_number)
        if columns is None:
            raise ReportError(
                _(
                    "No header row with name and email columns and a duration (or join and "
                    "leave) column was found. Check that the platform is right; the import "
                    "screen lists the columns read for each platform."
                )
            )
        return list(people.values())


def _rows(text, delimiter):
    """(line number, cells) of each row; a row the csv module cannot read (a field over
    its 128 KiB limit, a NUL) is a ReportError naming the line."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ReportError(
                _("Line %(line)s cannot be read as CSV (a field is far too long or damaged).")
                % {"line": reader.line_num}
            ) from error
        yield reader.line_num, row


def _cell(row, columns, field):
    index = columns.get(field)
    if index is None or index >= len(row):
        return ""
    # A NUL byte is never meaningful in a name or an address, and PostgreSQL refuses it.
    return row[index].replace("\x00", "").strip()


def _add_row(people, row, columns, line_number):
    email = _cell(row, columns, "email")
    name = _cell(row, columns, "name")
    if email and not EMAIL.match(email):
        email = ""
    if not email and not name:
        return
    joined = parse_time(_cell(row, columns, "join"))
    left = parse_time(_cell(row, columns, "leave"))
    minutes = parse_duration(_cell(row, columns, "duration"))
    if minutes is None:
        if joined and left and left >= joined:
            minutes = (left - joined).total_seconds() / 60
        else:
            raise ReportError(
                _("Line %(line)s: no duration, and no join and leave times to compute it.")
                % {"line": line_number}
            )
    if not 0 <= minutes <= MAX_ROW_MINUTES:
        raise ReportError(
            _("Line %(line)s: the duration %(duration)s is not plausible (over 24 hours).")
            % {"line": line_number, "duration": _cell(row, columns, "duration")[:40]}
        )
    key = email.lower() or f"name:{name.lower()}"
    person = people.setdefault(key, Attendee(name=name, email=email))
    person.minutes += minutes
    person.rows += 1
    if joined and (person.first_join is None or joined < person.first_join):
        person.first_join = joined
    if left and (person.last_leave is None or left > person.last_leave):
        person.last_leave = left
