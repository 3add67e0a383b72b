"""Reports › Programme summary: the headline figures a secretariat quotes for a period
(webinars held and their participants and speakers, courses completed, workshops and
materials per region, countries and regions reached), on one page that prints, with its
charts and their data tables, every table downloadable as CSV and XLSX.

``learning`` knows nothing of courses or webinars, so each room contributes its own
section through the ``learning_programme_summary`` hook: a function returning a provider
with an ``order`` (sections are shown by it), ``in_scope(user)`` (may this person see this
section at all?) and ``section(user, start, end, zone)`` (the figures of the period,
limited to what the person manages: organizers their series, course editors their
courses, trainers their regions, administrators everything). The summary is shown to
anyone with at least one section.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from learning.admin_scope import is_scoped
from learning.models import Region
from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.filters import DateRangeForm
from learning.reports.tables import Table
from learning.timezones import zone_for_user

HOOK = "learning_programme_summary"


@dataclass
class Section:
    key: str
    title: str
    figures: list  # (label, value)
    tables: list = field(default_factory=list)  # Table
    charts: list = field(default_factory=list)  # Chart
    countries: set = field(default_factory=set)  # country codes reached


def providers_for(user):
    """The section providers with something in ``user``'s scope, by their ``order``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    providers = sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda p: p.order)
    return [provider for provider in providers if provider.in_scope(user)]


def reach(sections):
    """Countries reached by every section together, and per region how many of them."""
    countries = set().union(*(section.countries for section in sections)) - {""}
    regions = []
    assigned = set()
    for region in Region.objects.all():
        codes = {str(code) for code in region.countries}
        assigned |= codes
        regions.append((region.name, len(countries & codes)))
    regions.append((_("Other"), len(countries - assigned)))
    return countries, regions


def programme_summary(request):
    providers = providers_for(request.user)
    if not providers:
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = DateRangeForm(request.GET or None, zone=zone)
    start, end = form.bounds()
    sections = [provider.section(request.user, start, end, zone) for provider in providers]
    countries, regions = reach(sections)
    reached = Section(
        "reach",
        _("Countries and regions reached"),
        [
            (_("Countries reached"), len(countries)),
            (_("Regions reached"), sum(1 for _name, count in regions if count)),
        ],
        charts=[
            bar_chart(
                "reach-regions",
                _("Countries reached, by region"),
                regions,
                [_("Region"), _("Countries")],
            )
        ],
    )
    sections.append(reached)
    figures = Table(
        "figures",
        _("Headline figures"),
        [_("Section"), _("Figure"), _("Value")],
        [[section.title, label, value] for section in sections for label, value in section.figures],
    )

    export_format = request.GET.get("export")
    if export_format in FORMATS:
        key = request.GET.get("table", "")
        candidates = [figures, *(t for s in sections for t in (*s.tables, *s.charts))]
        table = next((t for t in candidates if t.key == key), None)
        if table is None:
            raise Http404
        return TableExport(
            f"{_('Programme summary')} {table.title}", table.columns, table.export_rows()
        ).response(export_format)

    start_day = form.cleaned_data.get("date_from") if form.is_valid() else None
    end_day = form.cleaned_data.get("date_to") if form.is_valid() else None
    if export_format == "pdf":
        return _pdf_response(sections, start_day, end_day, zone)

    query = request.GET.copy()
    for key in ("export", "table"):
        query.pop(key, None)
    return TemplateResponse(
        request,
        "learning/reports/programme.html",
        {
            "page_title": _("Programme summary"),
            "header_icon": "doc-full",
            "form": form,
            "zone": zone,
            "period": period_text(start_day, end_day),
            "sections": sections,
            "figures": figures,
            "export_url": "?" + query.urlencode(),
        },
    )


def period_text(start, end):
    """The period as the page states it, e.g. "From 1 January 2027 to 31 March 2027"."""
    if start and end:
        return _("From %(start)s to %(end)s") % {
            "start": date_format(start, "DATE_FORMAT"),
            "end": date_format(end, "DATE_FORMAT"),
        }
    if start:
        return _("From %(start)s") % {"start": date_format(start, "DATE_FORMAT")}
    if end:
        return _("Until %(end)s") % {"end": date_format(end, "DATE_FORMAT")}
    return _("All time")


def _pdf_response(sections, start, end, zone):
    """The page as a PDF, in the viewer's language (the active one): the same sections."""
    from learning.reports.pdf import render_programme_summary  # loads fpdf2 and fonts

    content = render_programme_summary(
        title=_("Programme summary"),
        period=period_text(start, end),
        note=_(
            "Dates are whole days in the time zone %(zone)s. The figures cover what the "
            "person who made this summary manages."
        )
        % {"zone": zone.key},
        sections=sections,
    )
    response = HttpResponse(content, content_type="application/pdf")
    suffix = "-".join(day.isoformat() for day in (start, end) if day)
    filename = f"programme-summary{'-' + suffix if suffix else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ProgrammeSummaryMenuItem(MenuItem):
    """Shown to administrators and to the roles with a scope (trainers, organizers, course
    editors): a check the admin makes once per request anyway, where asking every section
    would add queries to every admin page. The page itself asks the sections."""

    def is_shown(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or is_scoped(user))


class ProgrammeSummaryViewSet(ViewSet):
    name = "programme_summary"
    url_prefix = "reports/programme"
    icon = "doc-full"
    menu_icon = "doc-full"
    menu_label = gettext_lazy("Programme summary")
    menu_hook = "register_reports_menu_item"
    menu_item_class = ProgrammeSummaryMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [path("", programme_summary, name="index")]
