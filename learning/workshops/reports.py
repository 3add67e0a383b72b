"""Reports › Workshops: per region, the workshops of the period, their participants, their
materials by kind and language, and material downloads over time, for trainers (their
regions) and administrators (every region); every table as CSV and XLSX.

Definitions (the README's "Reports" section repeats them): a workshop is in the period when
its days overlap it (days in the viewer's zone); participants are counted per workshop;
materials are those of these workshops; downloads are those made in the period (each
``MaterialDownload``), of any material of the region, whenever its workshop was.
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
from learning.models import MaterialDownload, Region, WorkshopMaterial, WorkshopParticipant
from learning.reports.charts import bar_chart
from learning.reports.exports import FORMATS, TableExport
from learning.reports.filters import DateRangeForm
from learning.reports.tables import Table
from learning.timezones import zone_for_user
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


def figures(user, *, start=None, end=None, zone=None, region=None, language=""):
    """``(region_rows, by_kind, by_language, downloads_per_week)`` for the regions ``user``
    trains for (or ``region`` among them), workshops overlapping ``[start, end)``."""
    region_ids = trainer_region_ids(user)
    if region is not None:
        region_ids = region_ids & {region.pk}
    workshops = managed_workshops(user).live().filter(region_id__in=region_ids)
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

    def per_region(queryset, field):
        return dict(
            queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n").order_by()
        )

    held = per_region(workshops, "region")
    participants = per_region(
        WorkshopParticipant.objects.filter(workshop__in=workshops.values("pk")), "workshop__region"
    )
    material_counts = per_region(materials, "workshop__region")
    download_counts = per_region(downloads, "region")
    region_rows = [
        [
            region.name,
            held.get(region.pk, 0),
            participants.get(region.pk, 0),
            material_counts.get(region.pk, 0),
            download_counts.get(region.pk, 0),
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
    weeks = [
        (timezone.localtime(week, zone).date() if timezone.is_aware(week) else week, n)
        for week, n in downloads.annotate(week=TruncWeek("downloaded_at", tzinfo=zone))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
        .order_by("week")
    ]
    return region_rows, by_kind, by_language, weeks


def index(request):
    if not trainer_region_ids(request.user):
        raise PermissionDenied
    zone = zone_for_user(request.user, request=request)
    form = WorkshopReportForm(request.GET or None, user=request.user, zone=zone)
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
    query = request.GET.copy()
    for key in ("export", "table"):
        query.pop(key, None)
    totals = [sum(row[i] for row in region_rows) for i in range(1, 5)]
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
        return [path("", index, name="index")]
