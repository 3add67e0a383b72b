"""The programme summary as a PDF: the page's sections, headline figures, charts and their
data tables, printed with the certificates' PDF machinery (fpdf2 with HarfBuzz shaping and
the Noto fonts, so Arabic, Chinese and Cyrillic print as they should). The charts are the
page's: the same ``Chart`` geometry, drawn as PDF rectangles instead of SVG."""

from django.conf import settings
from django.utils import translation
from fpdf.fonts import FontFace

from learning.certificates.pdf import MultiScriptPDF, cjk_font_for
from learning.reports.charts import VALUE_WIDTH
from learning.reports.tables import plain

INK = (0, 0, 0)
GREY = (88, 96, 105)
LABEL_MM = 55
PLOT_MM = 95
BAR_MM = 4.5
GAP_MM = 1.5
# No bold: only the regular faces are loaded (bold would need each script's bold font).
HEADINGS = FontFace(emphasis=None, fill_color=(225, 225, 225))


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _text(value):
    value = plain(value)
    return "—" if value is None else str(value)


class SummaryPDF(MultiScriptPDF):
    def __init__(self, texts, *, language):
        super().__init__(texts, orientation="portrait", cjk=cjk_font_for(language))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)

    def use_font(self, text, size):
        family, _direction = self._font_and_direction(text)
        self.set_font(family, size=size)
        self.set_fallback_fonts([f for f in self.families if f != family], exact_match=False)
        self.set_text_shaping(use_shaping_engine=True)

    def line(self, text, *, size=9, width=0, align="L", height=5):
        self.use_font(text, size)
        self.cell(width, height, text, align=align)

    def need(self, height):
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    def figures(self, figures):
        for label, value in figures:
            self.need(7)
            y = self.get_y()
            self.set_x(self.l_margin)
            self.line(str(label), size=10, width=130, height=7)
            self.set_xy(self.l_margin + 130, y)
            self.line(_text(value), size=12, width=40, align="R", height=7)
            self.set_y(y + 7)

    def chart(self, chart):
        self.ln(3)
        self.need(12 + BAR_MM)
        self.text_block(str(chart.title), size=11, height=6, align="L")
        plot_px = chart.width - chart.label_width - VALUE_WIDTH
        scale = PLOT_MM / plot_px
        left = self.l_margin
        if not chart.bars:
            self.line(translation.gettext("No data for these filters."))
            self.ln(6)
        for bar in chart.bars:
            self.need(BAR_MM + GAP_MM)
            y = self.get_y()
            self.set_xy(left, y)
            label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
            self.line(label, size=8, width=LABEL_MM - 2, align="R", height=BAR_MM)
            self.set_draw_color(*INK)
            self.set_line_width(0.1)
            end = left + LABEL_MM
            for x, width, colour, _value in bar.segments:
                if width:
                    self.set_fill_color(*_rgb(colour))
                    start = left + LABEL_MM + (x - chart.label_width) * scale
                    self.rect(start, y, width * scale, BAR_MM, style="FD")
                    end = start + width * scale
            self.set_xy(end + 1, y)
            self.line(" + ".join(_text(v) for v in bar.values), size=8, height=BAR_MM)
            self.set_y(y + BAR_MM + GAP_MM)
        if len(chart.series) > 1:
            self.need(6)
            y = self.get_y()
            for index, (name, colour) in enumerate(chart.series):
                x = left + LABEL_MM + index * 50
                self.set_fill_color(*_rgb(colour))
                self.rect(x, y + 0.75, 3, 3, style="FD")
                self.set_xy(x + 4, y)
                self.line(str(name), size=8, height=4.5)
            self.set_y(y + 6)
        self.data_table(chart)

    def data_table(self, table):
        self.ln(2)
        texts = [str(c) for c in table.columns] + [_text(c) for row in table.rows for c in row]
        self.use_font("".join(texts), 7)
        self.set_text_color(*INK)
        with self.table(
            text_align="LEFT",
            line_height=4,
            first_row_as_headings=True,
            headings_style=HEADINGS,
            padding=0.8,
        ) as grid:
            header = grid.row()
            for column in table.columns:
                header.cell(str(column))
            for row in table.rows:
                cells = grid.row()
                for cell in row:
                    cells.cell(_text(cell))
        self.ln(3)


def render_programme_summary(*, title, period, note, sections):
    """``sections`` as on the page (``learning.reports.summary.Section``), as PDF bytes,
    in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    texts = [title, period, note]
    for section in sections:
        texts.append(str(section.title))
        texts += [f"{label} {value}" for label, value in section.figures]
        for table in (*section.tables, *section.charts):
            texts.append(str(table.title))
            texts += [str(c) for c in table.columns]
            texts += [_text(c) for row in table.rows for c in row]
    pdf = SummaryPDF(texts, language=language)
    pdf.set_title(f"{title} – {period}")
    pdf.set_creator(settings.WAGTAIL_SITE_NAME)
    pdf.set_lang(language)
    pdf.add_page()
    pdf.text_block(title, size=18, height=9, align="L")
    pdf.text_block(period, size=11, height=6, align="L", color=GREY)
    pdf.text_block(note, size=8, height=4, align="L", color=GREY)
    for section in sections:
        pdf.ln(4)
        pdf.need(20)
        pdf.text_block(str(section.title), size=14, height=8, align="L")
        pdf.figures(section.figures)
        for table in section.tables:
            pdf.text_block(str(table.title), size=11, height=6, align="L")
            pdf.data_table(table)
        for chart in section.charts:
            pdf.chart(chart)
    return bytes(pdf.output())
