"""Charts drawn on the server as SVG: they need no JavaScript, print, survive slow links
and go into PDFs as they are. A chart is geometry computed here and drawn by the
``learning/reports/chart.html`` template, which puts the data table beside it.

Colours are the Okabe–Ito palette (distinguishable with every common colour-vision
deficiency); bars also carry their value as text, so nothing depends on colour alone."""

from dataclasses import dataclass, field

from learning.reports.tables import plain

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 56
BAR_HEIGHT = 18
BAR_GAP = 8
MAX_BARS = 25


@dataclass
class Bar:
    label: str
    values: list
    y: int
    segments: list = field(default_factory=list)  # (x, width, colour, value)
    text_x: int = 0


@dataclass
class Chart:
    """One chart: ``rows`` of ``(label, value, ...)`` (one value per series) are also
    its data table, with ``columns`` as its headings."""

    key: str
    title: str
    columns: list
    rows: list
    series: list  # (name, colour)
    bars: list
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    more: int = 0  # rows left out of the drawing (the table and exports keep them all)

    @property
    def description(self):
        return "; ".join(f"{row[0]}: {', '.join(str(v) for v in row[1:])}" for row in self.rows)

    def export_rows(self):
        return ([plain(cell) for cell in row] for row in self.rows)


def bar_chart(key, title, rows, columns, *, max_bars=MAX_BARS):
    """Horizontal bars, one per row; with several value columns the bars are stacked,
    one colour per column (e.g. new and returning participants). A value may be a
    ``Link`` to the people behind it: the table links it, the bar draws its value."""
    rows = [tuple(row) for row in rows]
    series = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(columns[1:])]
    drawn = rows[:max_bars]
    largest = max((sum(plain(v) or 0 for v in row[1:]) for row in drawn), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, row in enumerate(drawn):
        values = [plain(v) for v in row[1:]]
        bar = Bar(label=str(row[0]), values=values, y=index * (BAR_HEIGHT + BAR_GAP))
        x = LABEL_WIDTH
        for (_name, colour), value in zip(series, values, strict=True):
            width = round(plot * (value or 0) / largest)
            bar.segments.append((x, width, colour, value or 0))
            x += width
        bar.text_x = x + 4
        bars.append(bar)
    return Chart(
        key=key,
        title=title,
        columns=list(columns),
        rows=rows,
        series=series,
        bars=bars,
        height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP),
        more=max(len(rows) - max_bars, 0),
    )
