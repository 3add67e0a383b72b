"""Who may do what with regional workshops.

A trainer maintains the materials and participant list of the workshops of the regions
they are assigned to (``TrainerAssignment``); superusers do so everywhere.

Visibility of a material: ``public`` for everyone; ``participants`` for people on the
workshop's participant list (by account or by email address) and the region's trainers;
``trainers`` for the region's trainers only. Previous versions of a file are for the
region's trainers only.
"""

from django.db.models import Q

from learning.models import (
    Region,
    TrainerAssignment,
    WorkshopMaterial,
    WorkshopPage,
    WorkshopParticipant,
)


def trainer_region_ids(user):
    """Ids of the regions ``user`` is assigned to as a trainer (all regions for superusers)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Region.objects.values_list("pk", flat=True))
    return set(TrainerAssignment.objects.filter(user=user).values_list("region_id", flat=True))


def can_manage_workshop(user, workshop):
    """May ``user`` add, change and delete the materials and participants of ``workshop``?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return TrainerAssignment.objects.filter(user=user, region_id=workshop.region_id).exists()


def managed_workshops(user):
    """Workshops (live or draft) whose materials ``user`` maintains."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return WorkshopPage.objects.all()
    return WorkshopPage.objects.filter(region_id__in=trainer_region_ids(user))


def managed_materials(user):
    return WorkshopMaterial.objects.filter(workshop__in=managed_workshops(user))


def participant_workshop_ids(user):
    if user is None or not user.is_authenticated:
        return []
    condition = Q(user=user)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return list(WorkshopParticipant.objects.filter(condition).values_list("workshop_id", flat=True))


def is_participant(user, workshop):
    return workshop.pk in participant_workshop_ids(user)


def visible_materials(user, workshops=None, *, region_ids=None, participant_ids=None):
    """The materials ``user`` may see among those of ``workshops`` (default: every live,
    public workshop). The filters only use indexed fields, so the queryset can be searched.
    Callers that already know the user's trainer regions and participations pass them."""
    if workshops is None:
        workshops = WorkshopPage.objects.live().public()
    workshop_ids = list(workshops.values_list("pk", flat=True))
    materials = WorkshopMaterial.objects.filter(workshop_id__in=workshop_ids)
    if user is not None and user.is_authenticated and user.is_superuser:
        return materials
    if region_ids is None:
        region_ids = trainer_region_ids(user)
    if participant_ids is None:
        participant_ids = participant_workshop_ids(user)
    visible = Q(visibility=WorkshopMaterial.Visibility.PUBLIC)
    if participant_ids:
        visible |= Q(
            visibility=WorkshopMaterial.Visibility.PARTICIPANTS, workshop_id__in=participant_ids
        )
    if region_ids:
        trained_ids = list(workshops.filter(region_id__in=region_ids).values_list("pk", flat=True))
        visible |= Q(workshop_id__in=trained_ids)
    return materials.filter(visible)


def may_download(user, material):
    """May ``user`` download the current file of ``material``?"""
    workshop = material.workshop
    if can_manage_workshop(user, workshop):
        return True
    if not (workshop.live and workshop.get_view_restrictions().count() == 0):
        return False
    if material.visibility == WorkshopMaterial.Visibility.PUBLIC:
        return True
    if material.visibility == WorkshopMaterial.Visibility.PARTICIPANTS:
        return is_participant(user, workshop)
    return False


def may_download_versions(user, material):
    """Previous versions of a file are for the workshop's trainers only."""
    return can_manage_workshop(user, material.workshop)
