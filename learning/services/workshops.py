"""Regional workshops: who may maintain which materials, who may see them, participants.

A trainer may add, edit, replace and delete materials only for workshops of the regions
they are assigned to (``TrainerAssignment``); superusers may do so everywhere. Every write
here checks that itself, so no route (trainer page, Wagtail admin, shell) can skip it.

Visibility of a material: ``public`` for everyone; ``participants`` for people on the
workshop's participant list (by account or by email address) and the region's trainers;
``trainers`` for the region's trainers only.
"""

import csv
import io
import posixpath
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.materials import validate_material_file
from learning.models import (
    Region,
    TaggedWorkshopMaterial,
    TrainerAssignment,
    WorkshopMaterial,
    WorkshopMaterialVersion,
    WorkshopPage,
    WorkshopParticipant,
)

MATERIAL_FIELDS = {"title", "kind", "language", "description", "licence", "visibility"}
MAX_PARTICIPANT_CSV_SIZE = 1024 * 1024


class WorkshopError(Exception):
    """A workshop request cannot be carried out; the message is shown to the user."""


# --- who may do what -------------------------------------------------------------------


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


def _require_manager(user, workshop):
    if not can_manage_workshop(user, workshop):
        raise PermissionDenied(
            _("Only trainers of %(region)s can change this workshop's materials.")
            % {"region": workshop.region}
        )


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


# --- materials ---------------------------------------------------------------------------


def _title_from_filename(filename):
    stem = posixpath.splitext(posixpath.basename(filename))[0]
    return stem.replace("_", " ").replace("-", " ").strip()[:255] or filename[:255]


def _store_file(material_or_version, uploaded, filename):
    """Write the file to storage (outside the transaction: storage is not transactional)."""
    material_or_version.file.save(filename, uploaded, save=False)
    return material_or_version.file.name


def _discard_files(names):
    storage = WorkshopMaterial._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)


def add_material(
    workshop,
    file,
    *,
    user,
    title="",
    kind,
    language,
    description="",
    licence=WorkshopMaterial.Licence.CC_BY,
    visibility=WorkshopMaterial.Visibility.PUBLIC,
    topics=(),
    filename=None,
):
    """Add a material to ``workshop``. Raises ``PermissionDenied`` unless ``user`` trains
    the workshop's region, and ``ValidationError`` naming the problem if the file or a
    field is refused; nothing is stored then."""
    _require_manager(user, workshop)
    filename = posixpath.basename(filename or file.name)
    file_type = validate_material_file(file, filename)
    material = WorkshopMaterial(
        workshop=workshop,
        title=(title or "").strip() or _title_from_filename(filename),
        kind=kind,
        language=language,
        description=description,
        licence=licence,
        visibility=visibility,
        original_filename=filename[:255],
        content_type=file_type.content_type,
        size=file.size,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    material.full_clean(exclude=["file"])
    stored = _store_file(material, file, filename)
    try:
        with transaction.atomic():
            material.save()
            if topics:
                material.topics.set(_clean_topics(topics))
    except BaseException:
        _discard_files([stored])
        raise
    return material


def _clean_topics(topics):
    if isinstance(topics, str):
        topics = topics.split(",")
    return [str(topic).strip()[:100] for topic in topics if str(topic).strip()]


def update_material(material, *, user, topics=None, workshop=None, **fields):
    """Change a material's description fields (not its file: see ``replace_material``).
    Moving it to another workshop needs the right to manage both."""
    unknown = set(fields) - MATERIAL_FIELDS
    if unknown:
        raise TypeError(f"update_material() got unexpected fields {sorted(unknown)}")
    _require_manager(user, material.workshop)
    if workshop is not None and workshop.pk != material.workshop_id:
        _require_manager(user, workshop)
    with transaction.atomic():
        locked = WorkshopMaterial.objects.select_for_update().get(pk=material.pk)
        for name, value in fields.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if workshop is not None:
            locked.workshop = workshop
        locked.full_clean(exclude=["file"])
        locked.save()
        if topics is not None:
            locked.topics.set(_clean_topics(topics))
    return locked


def replace_material(material, file, *, user, filename=None):
    """Give a material a new file; the previous one stays downloadable by trainers as a
    ``WorkshopMaterialVersion``."""
    _require_manager(user, material.workshop)
    filename = posixpath.basename(filename or file.name)
    file_type = validate_material_file(file, filename)
    holder = WorkshopMaterial(workshop_id=material.workshop_id)
    stored = _store_file(holder, file, filename)
    try:
        with transaction.atomic():
            locked = WorkshopMaterial.objects.select_for_update().get(pk=material.pk)
            WorkshopMaterialVersion.objects.create(
                material=locked,
                file=locked.file.name,
                original_filename=locked.original_filename,
                content_type=locked.content_type,
                size=locked.size,
                uploaded_by_id=locked.uploaded_by_id,
                uploaded_at=locked.uploaded_at,
            )
            locked.file.name = stored
            locked.original_filename = filename[:255]
            locked.content_type = file_type.content_type
            locked.size = file.size
            locked.uploaded_by = user
            locked.uploaded_at = timezone.now()
            locked.save()
    except BaseException:
        _discard_files([stored])
        raise
    return locked


def delete_material(material, *, user):
    """Delete a material with all its file versions; the files go once the deletion
    commits (``learning.models.workshops.delete_material_file``)."""
    _require_manager(user, material.workshop)
    with transaction.atomic():
        locked = WorkshopMaterial.objects.select_for_update().filter(pk=material.pk).first()
        if locked is not None:
            locked.delete()


def record_download(material):
    """Count one download, without a lost update when many happen at once."""
    WorkshopMaterial.objects.filter(pk=material.pk).update(download_count=F("download_count") + 1)


# --- participants ------------------------------------------------------------------------


@dataclass
class ParticipantsAdded:
    added: list = field(default_factory=list)
    already_listed: list = field(default_factory=list)


def _normalise_emails(emails):
    cleaned, invalid, seen = [], [], set()
    for raw in emails:
        email = (raw or "").strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(email)
            continue
        key = email.lower()
        if key not in seen:
            seen.add(key)
            cleaned.append(key)
    return cleaned, invalid


def add_participants(workshop, emails, *, user):
    """Put people on the participant list of ``workshop`` by email address. Either all
    addresses are valid and listed, or a ``WorkshopError`` names the bad ones and nothing
    is written."""
    _require_manager(user, workshop)
    cleaned, invalid = _normalise_emails(emails)
    if invalid:
        raise WorkshopError(
            ngettext(
                "This is not a valid email address: %(emails)s. Nobody was added.",
                "These are not valid email addresses: %(emails)s. Nobody was added.",
                len(invalid),
            )
            % {"emails": ", ".join(invalid[:20])}
        )
    if not cleaned:
        raise WorkshopError(_("Give at least one email address."))
    accounts = {
        account.email_lower: account
        for account in get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=cleaned)
    }
    result = ParticipantsAdded()
    with transaction.atomic():
        existing = set(
            WorkshopParticipant.objects.filter(workshop=workshop, email__in=cleaned).values_list(
                "email", flat=True
            )
        )
        new = [
            WorkshopParticipant(
                workshop=workshop, email=email, user=accounts.get(email), added_by=user
            )
            for email in cleaned
            if email not in existing
        ]
        WorkshopParticipant.objects.bulk_create(new, ignore_conflicts=True)
    result.added = [participant.email for participant in new]
    result.already_listed = sorted(existing)
    return result


def parse_participant_csv(uploaded):
    """Email addresses from a CSV file: the column headed "email", else the first column.
    Raises ``WorkshopError`` if the file cannot be read."""
    if uploaded.size > MAX_PARTICIPANT_CSV_SIZE:
        raise WorkshopError(_("The participant list is too large (at most 1 MB)."))
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkshopError(
            _("The participant list is not a UTF-8 text file; save it as CSV (UTF-8).")
        ) from None
    if "\x00" in text:
        raise WorkshopError(_("The participant list is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    if not rows:
        raise WorkshopError(_("The participant list is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    column = 0
    for candidate in ("email", "e-mail", "email address", "courriel", "correo"):
        if candidate in header:
            column = header.index(candidate)
            rows = rows[1:]
            break
    else:
        if "@" not in (rows[0][0] if rows[0] else ""):
            rows = rows[1:]  # a header row with another name for the column
    return [row[column].strip() if len(row) > column else "" for row in rows]


def remove_participant(participant, *, user):
    _require_manager(user, participant.workshop)
    WorkshopParticipant.objects.filter(pk=participant.pk).delete()


# --- read models for pages -------------------------------------------------------------


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
    from taggit.models import Tag

    return Tag.objects.filter(
        learning_taggedworkshopmaterial_items__content_object__in=materials
    ).distinct()


def search_materials(user, params, *, workshops):
    """Materials visible to ``user`` matching the search form in ``params``, or None when
    no search was asked for."""
    from learning.workshop_forms import MaterialSearchForm

    materials = visible_materials(user, workshops)
    form = MaterialSearchForm(params or None, topics=topics_in_use(materials))
    if not form.is_bound or not form.is_valid() or not form.has_criteria():
        return {"form": form, "results": None}
    data = form.cleaned_data
    materials = filter_materials(
        materials,
        region=data.get("region"),
        language=data.get("language"),
        kind=data.get("kind"),
        topic=data.get("topic"),
    )
    materials = materials.select_related("workshop", "workshop__region")
    if data.get("q"):
        results = list(materials.search(data["q"], operator="and")[:100])
    else:
        results = list(materials.order_by("-uploaded_at")[:100])
    return {"form": form, "results": results}


def workshop_page_context(workshop, user, params):
    """Context of a workshop page: the materials ``user`` may see, filtered."""
    from learning.workshop_forms import MaterialFilterForm

    region_ids = trainer_region_ids(user)
    participant_ids = participant_workshop_ids(user)
    materials = visible_materials(
        user,
        WorkshopPage.objects.filter(pk=workshop.pk),
        region_ids=region_ids,
        participant_ids=participant_ids,
    )
    form = MaterialFilterForm(params or None, topics=topics_in_use(materials))
    if form.is_bound and form.is_valid():
        materials = filter_materials(
            materials,
            language=form.cleaned_data.get("language"),
            kind=form.cleaned_data.get("kind"),
            topic=form.cleaned_data.get("topic"),
        )
    materials = materials.prefetch_related("topics").order_by("kind", "title")
    return {
        "materials": materials,
        "filter_form": form,
        "can_manage": workshop.region_id in region_ids,
        "is_participant": workshop.pk in participant_ids,
    }


def regions_with_workshops():
    """Regions, each with its published workshops (newest first), for the home page."""
    from django.db.models import Prefetch

    from learning.models import WorkshopIndexPage

    published = WorkshopPage.objects.live().public().order_by("-start_date", "title")
    regions = Region.objects.prefetch_related(
        Prefetch("workshops", queryset=published, to_attr="published_workshops")
    )
    index = WorkshopIndexPage.objects.live().public().first()
    return {"regions": regions, "workshop_index_url": index.url if index else None}
