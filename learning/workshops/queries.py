"""The read side of regional workshops: what the workshop pages, the search and the home
page show. Query counts do not grow with the number of workshops or materials. Nothing
here builds forms or HTML: the views turn request parameters into the arguments."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from learning.models import (
    Region,
    TaggedWorkshopMaterial,
    WorkshopIndexPage,
    WorkshopPage,
)
from learning.translations import in_active_language
from learning.workshops.permissions import (
    participant_workshop_ids,
    trainer_region_ids,
    visible_materials,
)

SEARCH_LIMIT = 100


def filter_materials(materials, *, region=None, language="", kind="", topic=""):
    """Narrow materials by indexed fields only, so the result can still be searched."""
    if region is not None:
        materials = materials.filter(
            workshop_id__in=list(
                WorkshopPage.objects.filter(region=region).values_list("pk", flat=True)
            )
        )
    if language:
        materials = materials.filter(language=language)
    if kind:
        materials = materials.filter(kind=kind)
    if topic:
        materials = materials.filter(
            id__in=list(
                TaggedWorkshopMaterial.objects.filter(tag__slug=topic).values_list(
                    "content_object_id", flat=True
                )
            )
        )
    return materials


def topics_in_use(materials):
    """The topics tagged on ``materials``, for the filter form."""
    return Tag.objects.filter(
        learning_taggedworkshopmaterial_items__content_object__in=materials
    ).distinct()


def languages_in_use(materials):
    """The language codes of ``materials``, for the search form (one query)."""
    return materials.order_by().values_list("language", flat=True).distinct()


def search_materials(materials, *, q="", **filters):
    """The first materials among ``materials`` matching the words ``q`` (by relevance) and
    the ``filters`` of ``filter_materials`` (newest first when no words are given)."""
    materials = filter_materials(materials, **filters).select_related(
        "workshop", "workshop__region"
    )
    if q:
        return list(materials.search(q, operator="and")[:SEARCH_LIMIT])
    return list(materials.order_by("-uploaded_at")[:SEARCH_LIMIT])


def index_regions(workshops):
    """Every region with the number of ``workshops`` it holds."""
    return Region.objects.annotate(
        workshop_count=Count("workshops", filter=Q(workshops__in=workshops))
    )


def region_workshops(workshops, region_slug):
    """``(region, its workshops among workshops, newest first, with their public material
    counts)``; 404 for an unknown region."""
    region = get_object_or_404(Region, slug=region_slug)
    workshops = (
        workshops.filter(region=region)
        .order_by("-start_date", "title")
        .annotate(material_count=Count("materials", filter=Q(materials__visibility="public")))
    )
    return region, workshops


@dataclass
class WorkshopMaterials:
    """The materials of one workshop that a visitor may see, and who they are to it."""

    materials: QuerySet
    can_manage: bool
    is_participant: bool

    def listed(self, **filters):
        """The materials narrowed by ``filter_materials``, in the page's order."""
        return (
            filter_materials(self.materials, **filters)
            .prefetch_related("topics")
            .order_by("kind", "title")
        )


def workshop_materials(workshop, user):
    region_ids = trainer_region_ids(user)
    participant_ids = participant_workshop_ids(user)
    materials = visible_materials(
        user,
        WorkshopPage.objects.filter(pk=workshop.pk),
        region_ids=region_ids,
        participant_ids=participant_ids,
    )
    return WorkshopMaterials(
        materials=materials,
        can_manage=workshop.region_id in region_ids,
        is_participant=workshop.pk in participant_ids,
    )


def regions_with_workshops():
    """Regions, each with its published workshops (newest first), for the home page."""
    published = in_active_language(WorkshopPage.objects.live().public()).order_by(
        "-start_date", "title"
    )
    regions = Region.objects.prefetch_related(
        Prefetch("workshops", queryset=published, to_attr="published_workshops")
    )
    index = in_active_language(WorkshopIndexPage.objects.live().public()).first()
    return {"regions": regions, "workshop_index_url": index.url if index else None}
