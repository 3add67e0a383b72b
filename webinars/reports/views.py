"""Reports › Webinars. ``index`` reports on the sessions the filters select (organizers:
their series; administrators: all), ``session`` on one session; both offer every table as
CSV and XLSX (``?export=csv&table=<key>``) and the people behind the figures."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.geography import by_country_and_region, country_name
from learning.reports.tables import Link, Table
from learning.reports.weeks import every_week
from learning.timezones import zone_for_user
from learning.translations import canonical
from webinars.models import Registration
from webinars.reports import queries
from webinars.reports.forms import WebinarReportForm
from webinars.services import managed_webinars, manages_any_series


def _require_organizer(request):
    if not manages_any_series(request.user):
        raise PermissionDenied


def index(request):
    _require_organizer(request)
    zone = zone_for_user(request.user, request=request)
    form = WebinarReportForm(request.GET or None, user=request.user, zone=zone)
    start, end = form.bounds()
    webinars = queries.sessions_in_scope(
        request.user,
        start=start,
        end=end,
        series=form.value("series"),
        language=form.value("language") or "",
    )
    return _report(
        request, webinars, zone, form.value("country") or "", form=form, title=_("Webinars")
    )


def session(request, pk):
    _require_organizer(request)
    # A translated version's report is its canonical webinar's: registrations are there.
    webinar = canonical(get_object_or_404(managed_webinars(request.user), pk=pk))
    zone = zone_for_user(request.user, request=request)
    webinars = managed_webinars(request.user).filter(pk=webinar.pk)
    country = request.GET.get("country", "")
    if country and not country_name(country):
        raise Http404
    return _report(request, webinars, zone, country, title=webinar.title, webinar=webinar)


def _registrations_link(value, webinar_pk, country, **filters):
    if country:
        filters["country"] = country
    url = reverse("webinar_admin:registrations", args=[webinar_pk])
    return Link(value, f"{url}?{urlencode(filters)}" if filters else url)


def _local(moment, zone):
    return date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def _people_export(webinars, country, zone, export_format, title):
    statuses = dict(Registration.Status.choices)
    yes_no = {True: _("yes"), False: _("no"), None: ""}
    columns = [
        _("Session"),
        _("Name"),
        _("Email"),
        _("Country"),
        _("Status"),
        _("Registered at (%(zone)s)") % {"zone": zone.key},
        _("Attended"),
        _("Minutes attended"),
    ]
    rows = (
        [
            session_title,
            name,
            email,
            country_name(code) if code else "",
            statuses.get(status, status),
            timezone.localtime(created, zone).replace(tzinfo=None),
            yes_no[attended],
            minutes,
        ]
        for session_title, name, email, code, status, created, attended, minutes in queries.people(
            webinars, country
        ).iterator(chunk_size=2000)
    )
    return TableExport(f"{title} people", columns, rows).response(export_format)


def _report(request, webinars, zone, country, *, title, form=None, webinar=None):
    export_format = request.GET.get("export")
    table_key = request.GET.get("table", "")
    if export_format in FORMATS and table_key == "people":
        return _people_export(webinars, country, zone, export_format, title)

    sessions = queries.session_figures(webinars, country)
    session_rows = []
    for figures in sessions:
        pk = figures.webinar.pk
        session_rows.append(
            [
                Link(figures.webinar.title, reverse("webinar_reports:session", args=[pk])),
                _local(figures.webinar.start, zone),
                _registrations_link(figures.registered, pk, country),
                _registrations_link(figures.confirmed, pk, country, status="confirmed"),
                _registrations_link(figures.waitlisted, pk, country, status="waitlisted"),
                _registrations_link(figures.pending, pk, country, status="pending"),
                _registrations_link(figures.cancelled, pk, country, status="cancelled"),
                _registrations_link(figures.attended, pk, country, attended="yes"),
                figures.attendance_rate,
                figures.average_minutes,
                ", ".join(figures.speakers),
            ]
        )
    tables = [
        Table(
            "sessions",
            _("Sessions"),
            [
                _("Session"),
                _("Start (%(zone)s)") % {"zone": zone.key},
                _("Registered"),
                _("Confirmed"),
                _("Waitlisted"),
                _("Pending approval"),
                _("Cancelled"),
                _("Attended"),
                _("Attendance rate (%)"),
                _("Average minutes attended"),
                _("Speakers"),
            ],
            session_rows,
        )
    ]
    titles = {figures.webinar.pk: figures.webinar.title for figures in sessions}
    country_rows, region_rows = by_country_and_region(queries.by_country(webinars, country))
    charts = [
        bar_chart(
            "weeks",
            _("Registrations per week (weeks starting on Monday, %(zone)s)") % {"zone": zone.key},
            every_week(queries.registrations_per_week(webinars, zone, country), zone),
            [_("Week"), _("Registrations")],
            max_bars=60,
        ),
        bar_chart(
            "returning",
            _("New and returning participants per session"),
            [
                (titles[pk], new, returning)
                for pk, new, returning in queries.new_and_returning(webinars, country)
            ],
            [_("Session"), _("New"), _("Returning")],
        ),
        bar_chart(
            "regions", _("Participants by region"), region_rows, [_("Region"), _("Participants")]
        ),
        bar_chart(
            "countries",
            _("Participants by country"),
            country_rows,
            [_("Country"), _("Participants")],
        ),
    ]
    for index, (label, counts) in enumerate(queries.answers(webinars, country), start=1):
        charts.append(
            bar_chart(f"answers-{index}", label, counts, [_("Answer"), _("Participants")])
        )

    if export_format in FORMATS:
        table = next((t for t in [*tables, *charts] if t.key == table_key), None)
        if table is None:
            raise Http404
        return TableExport(f"{title} {table.title}", table.columns, table.export_rows()).response(
            export_format
        )

    query = request.GET.copy()
    for key in ("export", "table"):
        query.pop(key, None)
    return TemplateResponse(
        request,
        "webinars/reports/report.html",
        {
            "page_title": _("Webinar report: %(title)s") % {"title": title},
            "form": form,
            "webinar": webinar,
            "zone": zone,
            "headline": queries.headline(webinars, country),
            "tables": tables,
            "charts": charts,
            "export_url": "?" + query.urlencode(),
        },
    )
