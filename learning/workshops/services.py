"""Regional workshops: the rules that change materials and participant lists.

Every write here checks that ``user`` trains the workshop's region
(``learning.workshops.permissions``), so no route (trainer page, Wagtail admin, shell)
can skip it. Who may see what is in ``permissions``; what pages show is in ``queries``.
"""

import csv
import io
import posixpath
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.search import index

from learning.models import (
    MaterialDownload,
    WorkshopMaterial,
    WorkshopMaterialVersion,
    WorkshopParticipant,
)
from learning.workshops.file_types import validate_material_file
from learning.workshops.permissions import can_manage_workshop

MATERIAL_FIELDS = {"title", "kind", "language", "description", "licence", "visibility"}
MAX_PARTICIPANT_CSV_SIZE = 1024 * 1024


class WorkshopError(Exception):
    """A workshop request cannot be carried out; the message is shown to the user."""


def _require_manager(user, workshop):
    if not can_manage_workshop(user, workshop):
        raise PermissionDenied(
            _("Only trainers of %(region)s can change this workshop's materials.")
            % {"region": workshop.region}
        )


# --- materials ---------------------------------------------------------------------------


def _title_from_filename(filename):
    """A readable title from a file name: "flipchart_group3.jpg" -> "Flipchart group 3"."""
    stem = posixpath.splitext(posixpath.basename(filename))[0]
    words = re.sub(r"[_\-.]+", " ", stem)
    # "group3" -> "group 3", but codes keep their shape ("KM4B", "COP16", "v2").
    words = re.sub(r"(?<=\b[a-z]{3})(?=\d)|(?<=[a-z]{4})(?=\d)", " ", words)
    title = " ".join(words.split())
    if title and title == title.lower():
        title = title[0].upper() + title[1:]
    return title[:255] or filename[:255]


# What a file most likely is, by its extension: a trainer can change it before uploading.
KIND_BY_EXTENSION = {
    **dict.fromkeys(["ppt", "pptx", "odp"], WorkshopMaterial.Kind.SLIDES),
    **dict.fromkeys(["png", "jpg", "jpeg", "gif", "webp"], WorkshopMaterial.Kind.PHOTO),
    **dict.fromkeys(
        ["mp3", "m4a", "wav", "ogg", "mp4", "m4v", "mov", "webm", "ogv"],
        WorkshopMaterial.Kind.RECORDING,
    ),
    **dict.fromkeys(["xls", "xlsx", "ods"], WorkshopMaterial.Kind.EXERCISE),
}


def guess_kind(filename):
    """The material kind a file of this name most likely is (a handout when unsure)."""
    extension = posixpath.splitext(filename)[1].lower().lstrip(".")
    return KIND_BY_EXTENSION.get(extension, WorkshopMaterial.Kind.HANDOUT)


def guess_title(filename):
    return _title_from_filename(filename)


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
    kind="",
    language,
    description="",
    licence=WorkshopMaterial.Licence.CC_BY,
    visibility=WorkshopMaterial.Visibility.PARTICIPANTS,
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
        kind=kind or guess_kind(filename),
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
                _reindex_after_commit(material)
    except BaseException:
        _discard_files([stored])
        raise
    return material


def _reindex_after_commit(material):
    """The search index entry is written when the material is saved, before its topics are
    set: write it again once they are, so material search finds it by its topics."""
    transaction.on_commit(lambda: index.insert_or_update_object(material))


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
            _reindex_after_commit(locked)
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
    commits (``learning.workshops.receivers.delete_material_file``)."""
    _require_manager(user, material.workshop)
    with transaction.atomic():
        locked = WorkshopMaterial.objects.select_for_update().filter(pk=material.pk).first()
        if locked is not None:
            locked.delete()


def record_download(material):
    """Count one download, without a lost update when many happen at once, and note it
    with its time and region for the reports' downloads over time."""
    with transaction.atomic():
        WorkshopMaterial.objects.filter(pk=material.pk).update(
            download_count=F("download_count") + 1
        )
        MaterialDownload.objects.create(material=material, region_id=material.workshop.region_id)


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
