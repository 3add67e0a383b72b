"""Every report table downloads as CSV or XLSX through Wagtail's spreadsheet export
(``SpreadsheetExportMixin``), with two changes for tables of people:

- both formats are streamed with flat memory: the CSV row by row, the XLSX written by
  openpyxl's write-only mode (inline strings) to a temporary file, then sent from disk;
- CSV cells that a spreadsheet would run as a formula are neutralised
  (``learning.exports.csv_safe``); in XLSX, text is stored as text (never as a formula).
"""

import tempfile
from collections import OrderedDict

from django.http import FileResponse
from django.utils.text import slugify
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from learning.exports import csv_safe

FORMATS = SpreadsheetExportMixin.FORMATS
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableExport(SpreadsheetExportMixin):
    """``columns`` are the headings; ``rows`` any iterable of sequences (a generator over
    ``queryset.iterator()`` keeps memory flat)."""

    def __init__(self, filename, columns, rows):
        self.export_filename = slugify(filename)[:80] or "report"
        self.list_export = [f"c{index}" for index in range(len(columns))]
        self.export_headings = {
            key: str(heading) for key, heading in zip(self.list_export, columns, strict=True)
        }
        self.rows = rows

    def to_row_dict(self, item):
        return OrderedDict(zip(self.list_export, item, strict=True))

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return csv_safe(value)
        return value

    def stream_csv(self, queryset):
        yield "\ufeff".encode()  # lets spreadsheet programs detect UTF-8
        yield from super().stream_csv(queryset)

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )

    def response(self, export_format):
        response = self.as_spreadsheet(self.rows, export_format)
        response["Cache-Control"] = "private, no-store"
        if export_format == self.FORMAT_CSV:
            response["Content-Type"] = "text/csv; charset=utf-8"
        return response
