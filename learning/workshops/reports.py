"""Reports › Workshops: per region, the workshops of the period, their participants, their
materials by kind and language, and material downloads over time, for trainers (their
regions) and administrators (every region); every table as CSV and XLSX.

Definitions (the README's "Reports" section repeats them): a workshop is in the period when
its days overlap it (days in the viewer's zone); participants are counted per workshop;
materials are those of these workshops; downloads are those made in the period (each
``MaterialDownload``), of any material of the region, whenever its workshop was. The
weekly downloads chart has a bar for every week of the period, 0 for a week without.
A fixed number of queries, however many workshops, materials and downloads.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from learning.admin_scope import remembered
from learning.models import (
    MaterialDownload,
    Region,
    WorkshopMaterial,
    WorkshopParticipant,
)
from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.filters import DateRangeForm
from learning.reports.geography import country_name
from learning.reports.people import people_response
from learning.reports.tables import Link, Table, plain
from learning.reports.weeks import every_week
from learning.timezones import zone_for_user
from learning.translations import canonical_only
from learning.workshops.permissions import managed_workshops, trainer_region_ids


class WorkshopReportForm(DateRangeForm):
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All regions"),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of materials"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(pk__in=trainer_region_ids(user))
        self.fields["language"].choices = [
            ("", gettext_lazy("All languages")),
            *WorkshopMaterial._meta.get_field("language").flatchoices,
        ]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


def in_scope(user, *, start=None, end=None, zone=None, region=None, language=""):
    """``(region_ids, workshops, materials, downloads)`` behind the figures: the regions
    ``user`` trains for (or ``region`` among them), their live workshops overlapping
    ``[start, end)``, those workshops' materials, and the downloads made in the period."""
    region_ids = trainer_region_ids(user)
    if region is not None:
        region_ids = region_ids & {region.pk}
    workshops = canonical_only(managed_workshops(user)).live().filter(region_id__in=region_ids)
    if start is not None:
        workshops = workshops.filter(end_date__gte=start.astimezone(zone).date())
    if end is not None:
        workshops = workshops.filter(start_date__lt=end.astimezone(zone).date())
    materials = WorkshopMaterial.objects.filter(workshop__in=workshops.values("pk"))
    if language:
        materials = materials.filter(language=language)
    downloads = MaterialDownload.objects.filter(region_id__in=region_ids)
    if language:
        downloads = downloads.filter(material__language=language)
    if start is not None:
        downloads = downloads.filter(downloaded_at__gte=start)
    if end is not None:
        downloads = downloads.filter(downloaded_at__lt=end)
    return region_ids, workshops, materials, downloads


def participants_of(workshops):
    return WorkshopParticipant.objects.filter(workshop__in=workshops.values("pk"))


def figures(user, *, start=None, end=None, zone=None, region=None, language="", drill=None):
    """``(region_rows, by_kind, by_language, downloads_per_week)`` for the regions ``user``
    trains for (or ``region`` among them), workshops overlapping ``[start, end)``.
    ``drill(value, figure, region)`` turns a count into a link to the people behind it."""
    region_ids, workshops, materials, downloads = in_scope(
        user, start=start, end=end, zone=zone, region=region, language=language
    )
    drill = drill or (lambda value, figure, region: value)

    def per_region(queryset, field):
        return dict(
            queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n").order_by()
        )

    held = per_region(workshops, "region")
    participants = per_region(participants_of(workshops), "workshop__region")
    material_counts = per_region(materials, "workshop__region")
    download_counts = per_region(downloads, "region")
    region_rows = [
        [
            region.name,
            held.get(region.pk, 0),
            drill(participants.get(region.pk, 0), "participants", region),
            material_counts.get(region.pk, 0),
            drill(download_counts.get(region.pk, 0), "downloads", region),
        ]
        for region in Region.objects.filter(pk__in=region_ids)
    ]
    kinds = dict(WorkshopMaterial.Kind.choices)
    languages = dict(WorkshopMaterial._meta.get_field("language").flatchoices)
    by_kind = [
        (kinds.get(kind, kind), n)
        for kind, n in materials.values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    ]
    by_language = [
        (languages.get(code, code), n)
        for code, n in materials.values_list("language")
        .annotate(n=Count("pk"))
        .order_by("-n", "language")
    ]
    weeks = every_week(
        downloads.annotate(week=TruncWeek("downloaded_at", tzinfo=zone))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
        .order_by("week"),
        zone,
        start,
        end,
    )
    return region_rows, by_kind, by_language, weeks


def index(request):
    if not trainer_region_ids(request.user):
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = WorkshopReportForm(request.GET or None, user=request.user, zone=zone)
    drill = Drill(request)
    if form.is_bound and not form.is_valid():
        region_rows, by_kind, by_language, weeks = [], [], [], []
    else:
        start, end = form.bounds()
        region_rows, by_kind, by_language, weeks = figures(
            request.user,
            start=start,
            end=end,
            zone=zone,
            region=form.value("region"),
            language=form.value("language") or "",
            drill=drill,
        )
    tables = [
        Table(
            "regions",
            _("Workshops per region"),
            [_("Region"), _("Workshops"), _("Participants"), _("Materials"), _("Downloads")],
            region_rows,
        )
    ]
    charts = [
        bar_chart(
            "downloads-weeks",
            _("Material downloads per week (weeks starting on Monday, %(zone)s)")
            % {"zone": zone.key},
            weeks,
            [_("Week"), _("Downloads")],
            max_bars=60,
        ),
        bar_chart("kinds", _("Materials by kind"), by_kind, [_("Kind"), _("Materials")]),
        bar_chart(
            "languages", _("Materials by language"), by_language, [_("Language"), _("Materials")]
        ),
    ]
    export_format = request.GET.get("export")
    if export_format in FORMATS:
        key = request.GET.get("table", "")
        table = next((t for t in [*tables, *charts] if t.key == key), None)
        if table is None:
            raise Http404
        return TableExport(
            f"{_('Workshops')} {table.title}", table.columns, table.export_rows()
        ).response(export_format)
    query = _filters(request)
    totals = [sum(plain(row[i]) for row in region_rows) for i in range(1, 5)]
    totals[1] = drill(totals[1], "participants")
    totals[3] = drill(totals[3], "downloads")
    return TemplateResponse(
        request,
        "learning/reports/workshops.html",
        {
            "page_title": _("Workshop reports"),
            "header_icon": "globe",
            "form": form,
            "zone": zone,
            "figures": list(
                zip(
                    [_("Workshops"), _("Participants"), _("Materials"), _("Downloads")],
                    totals,
                    strict=True,
                )
            ),
            "tables": tables,
            "charts": charts,
            "export_url": "?" + query.urlencode(),
        },
    )


def _filters(request):
    """The report's filters, without what only picks a table, a figure or a page."""
    query = request.GET.copy()
    for key in ("export", "table", "figure", "p"):
        query.pop(key, None)
    return query


class Drill:
    """Links from a figure down to the people or downloads behind it, under the report's
    filters (a region's row narrows them to the region)."""

    def __init__(self, request):
        self.filters = _filters(request)
        self.url = reverse("workshop_reports:people")

    def __call__(self, value, figure, region=None):
        query = self.filters.copy()
        query["figure"] = figure
        if region is not None:
            query["region"] = region.pk
        return Link(value, f"{self.url}?{query.urlencode()}")


def _participant_table(workshops):
    columns = [_("Workshop"), _("Region"), _("Name"), _("Email"), _("Country")]
    rows = (
        participants_of(workshops)
        .order_by("workshop__region__name", "workshop__start_date", "workshop_id", "email")
        .values_list(
            "workshop__title",
            "workshop__region__name",
            "user__profile__full_name",
            "email",
            "user__profile__country",
        )
    )

    def cells(page):
        return (
            [workshop, region, name or "", email, country_name(code) if code else ""]
            for workshop, region, name, email, code in page
        )

    return columns, rows, cells


def _download_table(downloads, zone):
    kinds = dict(WorkshopMaterial.Kind.choices)
    languages = dict(WorkshopMaterial._meta.get_field("language").flatchoices)
    columns = [
        _("Downloaded at (%(zone)s)") % {"zone": zone.key},
        _("Region"),
        _("Material"),
        _("Kind"),
        _("Language"),
        _("Workshop"),
    ]
    rows = downloads.order_by("-downloaded_at", "-pk").values_list(
        "downloaded_at",
        "region__name",
        "material__title",
        "material__kind",
        "material__language",
        "material__workshop__title",
    )

    def cells(page):
        return (
            [
                timezone.localtime(moment, zone).replace(tzinfo=None),
                region,
                material or _("(deleted material)"),
                kinds.get(kind, kind or ""),
                languages.get(language, language or ""),
                workshop or "",
            ]
            for moment, region, material, kind, language, workshop in page
        )

    return columns, rows, cells


def people(request):
    """What is behind a participants or downloads figure (``?figure=participants`` or
    ``downloads``, under the report's filters): a page of rows, all of them as CSV or XLSX.
    A region the viewer does not train for is a 404."""
    if not trainer_region_ids(request.user):
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = WorkshopReportForm(request.GET, user=request.user, zone=zone)
    figure = request.GET.get("figure")
    if not form.is_valid() or figure not in ("participants", "downloads"):
        raise Http404
    start, end = form.bounds()
    region = form.value("region")
    _ids, workshops, _materials, downloads = in_scope(
        request.user,
        start=start,
        end=end,
        zone=zone,
        region=region,
        language=form.value("language") or "",
    )
    if figure == "participants":
        title = _("Participants of the workshops of the period")
        columns, rows, cells = _participant_table(workshops)
    else:
        title = _("Material downloads made in the period")
        columns, rows, cells = _download_table(downloads, zone)
    return people_response(
        request,
        key=figure,
        title=title,
        export_title=f"{_('Workshops')} {title}",
        columns=columns,
        rows=rows,
        cells=cells,
        context={
            "header_icon": "globe",
            "subtitle": region.name if region else _("All your regions"),
            "zone": zone,
            "back_url": f"{reverse('workshop_reports:index')}?{_filters(request).urlencode()}",
            "back_label": _("Back to the workshop report"),
        },
    )


class TrainerReportMenuItem(MenuItem):
    def is_shown(self, request):
        return remembered(request.user, "trains", lambda: bool(trainer_region_ids(request.user)))


class WorkshopReportViewSet(ViewSet):
    name = "workshop_reports"
    url_prefix = "reports/workshops"
    icon = "globe"
    menu_icon = "globe"
    menu_label = gettext_lazy("Workshops")
    menu_hook = "register_reports_menu_item"
    menu_item_class = TrainerReportMenuItem

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_urlpatterns(self):
        return [path("", index, name="index"), path("people/", people, name="people")]
