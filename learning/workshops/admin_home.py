"""The trainer's panel on the Wagtail admin home: per region they train for, the
workshops, the materials and how often they were downloaded, and the newest materials."""

from django.db.models import Count, Sum
from wagtail.admin.ui.components import Component

from learning.models import Region, WorkshopMaterial
from learning.workshops.permissions import trainer_region_ids


class TrainerRegionsPanel(Component):
    name = "trainer_regions"
    order = 130
    template_name = "learning/admin_home/trainer_regions.html"

    def __init__(self, request, region_ids):
        self.request = request
        self.region_ids = region_ids

    def get_context_data(self, parent_context):
        materials = WorkshopMaterial.objects.filter(workshop__region_id__in=self.region_ids)
        totals = {
            row["workshop__region"]: row
            for row in materials.values("workshop__region").annotate(
                materials=Count("pk"), downloads=Sum("download_count")
            )
        }
        regions = [
            {
                "region": region,
                "materials": totals.get(region.pk, {}).get("materials", 0),
                "downloads": totals.get(region.pk, {}).get("downloads") or 0,
            }
            for region in Region.objects.filter(pk__in=self.region_ids)
        ]
        newest = materials.select_related("workshop").order_by("-uploaded_at", "-pk")[:5]
        return {"regions": regions, "newest": newest}


def add_panel(request, panels):
    region_ids = trainer_region_ids(request.user)
    if region_ids:
        panels.append(TrainerRegionsPanel(request, region_ids))
