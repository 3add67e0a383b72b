"""The people behind a report's figure: one page of them, or all of them as CSV/XLSX.

Reports › Courses (the learners behind a number) and Reports › Workshops (participants and
downloads) share this tail: the rows come from the same query as the figure, an export is
recorded in the audit log, and the page keeps the report's filters in its links."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.reports.exports import FORMATS, TableExport
from learning.reports.tables import Table

PAGE_SIZE = 100


def export_response(request, title, columns, rows, export_format):
    """All ``rows`` (already turned into cells, read lazily) as a CSV or XLSX download,
    recorded in the audit log under ``title``."""
    audit(request.user, AuditEntry.Action.EXPORT, summary=title)
    return TableExport(title, columns, rows).response(export_format)


def people_response(request, *, key, title, export_title, columns, rows, cells, context):
    """``?export=csv|xlsx``: every row of the queryset ``rows`` as a download named
    ``export_title``; otherwise page ``?p=`` of them in ``learning/reports/people.html``.
    ``cells`` turns rows into table cells; ``context`` gives the subtitle, zone and the
    link back to the report. ``title`` is the page's heading (the admin header's), once."""
    export_format = request.GET.get("export")
    if export_format in FORMATS:
        return export_response(
            request, export_title, columns, cells(rows.iterator(chunk_size=2000)), export_format
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    for name in ("export", "p"):
        query.pop(name, None)
    return TemplateResponse(
        request,
        "learning/reports/people.html",
        {
            **context,
            "page_title": title,
            "page": page,
            "total": page.paginator.count,
            "table": Table(key, title, columns, list(cells(page))),
            "query": query.urlencode(),
        },
    )
