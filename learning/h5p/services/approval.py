"""Deciding on packages held for library approval (see ``import_h5p(hold_new_libraries=)``).

Only people with the "install H5P libraries" permission decide. Approving validates the
stored package again against the libraries installed now, installs its libraries,
extracts its content and makes it the content's current version; rejecting keeps it
unplayable. Either way the uploader is told after the transaction commits.
"""

import io
import logging

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning.h5p import storage
from learning.h5p.validator import validate_package
from learning.models import H5PContent, H5PContentVersion

from .importing import (
    INSTALL_PERMISSION,
    _install_libraries,
    _notify_after_commit,
    find_installed_libraries,
    make_playable,
)

logger = logging.getLogger(__name__)


def awaiting_approval():
    """Versions held for library approval, oldest first (for the approval screen)."""
    return (
        H5PContentVersion.objects.filter(status=H5PContentVersion.Status.AWAITING_APPROVAL)
        .select_related("content", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def _check_permission(user):
    if user is None or not user.is_active or not user.has_perm(INSTALL_PERMISSION):
        raise PermissionDenied


def approve_h5p_version(version, *, user):
    """Install the libraries of a held ``version`` and make it playable.

    The package is validated again (the installed libraries may have changed since the
    upload); if it no longer passes, ``H5PValidationError`` says why and nothing changes.
    A version no longer awaiting approval is returned unchanged (a second click, or
    another approver first). Returns the version.
    """
    _check_permission(user)
    with version.package.open("rb") as stored:
        data = stored.read()
    for attempt in (1, 2):
        file = File(io.BytesIO(data), name=version.package_filename)
        package = validate_package(
            file,
            filename=version.package_filename,
            find_installed=find_installed_libraries,
            may_install_libraries=True,
        )
        written = storage.WrittenFiles()
        try:
            with transaction.atomic():
                decided = _approve(version, package, written, user)
        except IntegrityError:
            written.remove_all()
            if attempt == 2:
                raise
            continue  # a concurrent import installed one of the libraries: validate again
        except BaseException:
            written.remove_all()
            raise
        break
    if decided:
        logger.info(
            "H5P content %s v%s approved by %s (%s libraries installed)",
            version.content_id,
            version.number,
            user.pk,
            len(package.to_install),
        )
    version.refresh_from_db()
    return version


def _approve(version, package, written, user):
    # The content row is the one lock: imports of a new version and decisions on any of
    # its versions take it too, so version numbers and the current version stay right.
    content = H5PContent.objects.select_for_update().get(pk=version.content_id)
    locked = H5PContentVersion.objects.get(pk=version.pk)
    if locked.status != H5PContentVersion.Status.AWAITING_APPROVAL:
        return False
    files = _install_libraries(package, user)
    written.write_all(files + storage.content_files(package, locked.storage_prefix))
    locked.status = H5PContentVersion.Status.PLAYABLE
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    make_playable(locked, package, content)
    content.save(update_fields=["current_version"])
    _notify_after_commit("send_h5p_approval_decision_email", locked.pk)
    return True


def reject_h5p_version(version, *, user, note=""):
    """Refuse the libraries of a held ``version``: it never plays; the uploader is told,
    with ``note``. A version no longer awaiting approval is returned unchanged."""
    _check_permission(user)
    with transaction.atomic():
        H5PContent.objects.select_for_update().get(pk=version.content_id)
        updated = H5PContentVersion.objects.filter(
            pk=version.pk, status=H5PContentVersion.Status.AWAITING_APPROVAL
        ).update(
            status=H5PContentVersion.Status.REJECTED,
            decided_by=user,
            decided_at=timezone.now(),
            decision_note=(note or "").strip()[:2000],
        )
        if updated:
            _notify_after_commit("send_h5p_approval_decision_email", version.pk)
    version.refresh_from_db()
    return version
