"""The workshops section of the programme summary (``learning.reports.summary``): the
workshops of the period in the regions the viewer trains for (administrators: all), their
participants and materials, per region, by kind and by language, and the downloads made
in the period (each ``MaterialDownload``: the same definition as Reports › Workshops)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from learning.models import Region, WorkshopMaterial, WorkshopParticipant
from learning.reports.charts import bar_chart
from learning.reports.summary import Section
from learning.reports.tables import Table
from learning.workshops import reports
from learning.workshops.permissions import trainer_region_ids


class WorkshopSummary:
    order = 30

    def in_scope(self, user):
        return bool(trainer_region_ids(user))

    def section(self, user, start, end, zone):
        # Workshops are dated by day: the range's first and last day in the viewer's zone.
        region_ids, workshops, materials, downloads = reports.in_scope(
            user, start=start, end=end, zone=zone
        )
        workshop_ids = workshops.values("pk")
        participants = WorkshopParticipant.objects.filter(workshop__in=workshop_ids)

        per_region = {
            row["region"]: row
            for row in workshops.values("region").annotate(
                workshops=Count("pk", distinct=True),
                participants=Count("participants", distinct=True),
            )
        }
        materials_per_region = dict(
            materials.values_list("workshop__region")
            .annotate(n=Count("pk"))
            .values_list("workshop__region", "n")
        )
        downloads_per_region = dict(
            downloads.values_list("region").annotate(n=Count("pk")).values_list("region", "n")
        )
        regions = Region.objects.filter(pk__in=region_ids)
        region_rows = [
            [
                region.name,
                per_region.get(region.pk, {}).get("workshops", 0),
                per_region.get(region.pk, {}).get("participants", 0),
                materials_per_region.get(region.pk, 0),
                downloads_per_region.get(region.pk) or 0,
            ]
            for region in regions
        ]
        kinds = dict(WorkshopMaterial.Kind.choices)
        by_kind = [
            (kinds.get(kind, kind), n)
            for kind, n in materials.values_list("kind").annotate(n=Count("pk")).order_by("-n")
        ]
        languages = dict(WorkshopMaterial._meta.get_field("language").flatchoices)
        by_language = [
            (languages.get(code, code), n)
            for code, n in materials.values_list("language").annotate(n=Count("pk")).order_by("-n")
        ]
        countries = set(
            workshops.exclude(venue_country="").values_list("venue_country", flat=True)
        ) | set(
            participants.filter(~Q(user__profile__country=""), user__isnull=False).values_list(
                "user__profile__country", flat=True
            )
        )
        totals = [sum(row[i] for row in region_rows) for i in range(1, 5)]
        return Section(
            "workshops",
            _("Regional workshops"),
            [
                (_("Workshops"), totals[0]),
                (_("Workshop participants"), totals[1]),
                (_("Materials"), totals[2]),
                (_("Material downloads"), totals[3]),
            ],
            tables=[
                Table(
                    "workshops-regions",
                    _("Workshops per region"),
                    [
                        _("Region"),
                        _("Workshops"),
                        _("Participants"),
                        _("Materials"),
                        _("Downloads"),
                    ],
                    region_rows,
                )
            ],
            charts=[
                bar_chart(
                    "workshops-kinds", _("Materials by kind"), by_kind, [_("Kind"), _("Materials")]
                ),
                bar_chart(
                    "workshops-languages",
                    _("Materials by language"),
                    by_language,
                    [_("Language"), _("Materials")],
                ),
            ],
            countries={str(code) for code in countries if code},
        )
