"""Importing H5P packages: validate completely, then write files and rows together."""

import logging
import os

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from learning.h5p import storage
from learning.h5p.validator import LibraryRef, play_closure, validate_package
from learning.models import H5PContent, H5PContentVersion, H5PLibrary

logger = logging.getLogger(__name__)

INSTALL_PERMISSION = "learning.install_h5p_library"


def find_installed_libraries(refs, *, lock=False):
    """``{LibraryRef: H5PLibrary}`` for those of ``refs`` that are installed."""
    if not refs:
        return {}
    query = Q()
    for ref in refs:
        query |= Q(machine_name=ref.machine_name, major_version=ref.major, minor_version=ref.minor)
    libraries = H5PLibrary.objects.filter(query)
    if lock:
        libraries = libraries.select_for_update()
    return {
        LibraryRef(library.machine_name, library.major_version, library.minor_version): library
        for library in libraries
    }


def import_h5p(
    file,
    *,
    user,
    title=None,
    content=None,
    allow_libraries=False,
    hold_new_libraries=False,
    reuse_same_package=False,
):
    """Import the ``.h5p`` ``file`` as a new content, or as the next version of ``content``.

    The package is validated completely first; if it breaks any rule,
    ``H5PValidationError`` lists the problems and nothing is written. New or upgraded
    libraries are accepted only with ``allow_libraries``, which needs the
    "learning.install_h5p_library" permission (``user=None`` is the trusted command line).
    Without it, ``hold_new_libraries`` keeps such a package (validated, unextracted, in the
    private storage) as a version "awaiting library approval" and notifies the people who
    may install libraries (``approve_h5p_version`` / ``reject_h5p_version``); otherwise it
    is refused. Rows are created, then files written, in one transaction; if anything
    fails, the files written are removed again.

    Returns the new ``H5PContentVersion``. With ``reuse_same_package`` (uploads in the
    admin), if the same package (same SHA-256) is already some content's current or
    pending version (for a replacement: ``content``'s), that version is returned
    instead, with ``reused = True``, and nothing is written.
    """
    if user is not None:
        needed = "learning.add_h5pcontent" if content is None else "learning.change_h5pcontent"
        if not user.has_perm(needed):
            raise PermissionDenied
        if allow_libraries and not user.has_perm(INSTALL_PERMISSION):
            raise PermissionDenied
    filename = os.path.basename(getattr(file, "name", None) or "package.h5p")
    if not isinstance(file, File):
        file = File(file, name=filename)
    for attempt in (1, 2):
        package = validate_package(
            file,
            filename=filename,
            find_installed=find_installed_libraries,
            may_install_libraries=allow_libraries or hold_new_libraries,
        )
        if reuse_same_package and (existing := _same_package(package.sha256, content)):
            existing.reused = True
            return existing
        hold = bool(package.to_install) and not allow_libraries
        written = storage.WrittenFiles()
        try:
            with transaction.atomic():
                version = _store(
                    file, package, written, user=user, title=title, content=content, hold=hold
                )
        except IntegrityError:
            written.remove_all()
            if attempt == 2:
                raise
            # A concurrent import installed one of these libraries first (its rows were
            # inserted before any file was written, so nothing of it was touched): validate
            # again against what is now installed.
            continue
        except BaseException:
            written.remove_all()
            raise
        break
    if hold:
        logger.info(
            "Holding H5P package %s as content %s v%s for library approval (%s libraries)",
            filename,
            version.content_id,
            version.number,
            len(package.to_install),
        )
        _notify_after_commit("send_h5p_approval_request_emails", version.pk)
        return version
    logger.info(
        "Imported H5P package %s as content %s v%s (%s libraries installed)",
        filename,
        version.content_id,
        version.number,
        len(package.to_install),
    )
    return version


def _same_package(sha256, content):
    """The version already holding this exact package, if an upload should reuse it: for a
    new content any playable or pending one, for a replacement the content's current or
    pending version (re-uploading it must not create a version identical to the last)."""
    versions = H5PContentVersion.objects.filter(
        sha256=sha256,
        status__in=[
            H5PContentVersion.Status.PLAYABLE,
            H5PContentVersion.Status.AWAITING_APPROVAL,
        ],
    ).select_related("content")
    pending = Q(status=H5PContentVersion.Status.AWAITING_APPROVAL)
    if content is None:
        versions = versions.filter(Q(content__current_version=F("pk")) | pending)
    else:
        versions = versions.filter(Q(pk=content.current_version_id) | pending, content=content)
    return versions.order_by("-pk").first()


def _notify_after_commit(task_name, version_id):
    from learning import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(version_id))


def libraries_brought(package):
    """What a held package would install: one dict per library, for the approval screen
    (``installed`` is the version installed now, or None for a new library)."""
    installed = find_installed_libraries([library.ref for library in package.to_install])
    return [
        {
            "machine_name": library.ref.machine_name,
            "version": library.version,
            "title": str(library.metadata.get("title", "")).strip()[:255],
            "installed": installed[library.ref].version if library.ref in installed else None,
        }
        for library in package.to_install
    ]


def _store(file, package, written, *, user, title, content, hold=False):
    title = (title or "").strip()[:255]
    files = [] if hold else _install_libraries(package, user)
    if content is None:
        content = H5PContent.objects.create(title=title or package.title.strip(), created_by=user)
    else:
        # Locked so that two replacements of one content get different numbers.
        content = H5PContent.objects.select_for_update().get(pk=content.pk)
    number = (content.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    prefix = storage.content_prefix(content.pk, number)
    if not hold:
        written.write_all(files + storage.content_files(package, prefix))
    version = H5PContentVersion(
        content=content,
        number=number,
        sha256=package.sha256,
        h5p_json=package.h5p_json,
        main_library=str(package.main_library),
        storage_prefix=prefix,
        uploaded_by=user,
    )
    if hold:
        version.status = H5PContentVersion.Status.AWAITING_APPROVAL
        version.libraries_brought = libraries_brought(package)
    file.seek(0)
    version.package.save(package.filename, file, save=False)
    written.remember(version.package.name)
    version.save()
    update_fields = []
    if not hold:
        make_playable(version, package, content)
        update_fields.append("current_version")
    if title and content.title != title:
        content.title = title
        update_fields.append("title")
    if update_fields:
        content.save(update_fields=update_fields)
    return version


def make_playable(version, package, content):
    """Record the libraries ``version`` loads and make it ``content``'s current version
    (unless a later version already is); the caller saves ``content``."""
    version.libraries.set(find_installed_libraries(package.required).values())
    current = content.current_version
    if current is None or current.number < version.number:
        content.current_version = version


def _install_libraries(package, user):
    """Create or upgrade the rows of new libraries and higher patches (never replacing a
    patch by a lower one, even if another import installed a higher one since
    validation); return the files to write for them."""
    files = []
    if not package.to_install:
        return files
    installed = find_installed_libraries([library.ref for library in package.to_install], lock=True)
    now = timezone.now()
    new, upgraded, installing = [], [], set()
    for library in package.to_install:
        row = installed.get(library.ref)
        if row is not None and row.patch_version >= library.patch:
            continue
        installing.add(library.ref)
        fields = {
            "patch_version": library.patch,
            "title": library.metadata["title"].strip(),
            "runnable": library.metadata["runnable"] in (1, "1", True),
            "metadata": library.metadata,
            "storage_path": storage.library_prefix(library),
            "installed_by": user,
            "installed_at": now,
        }
        if row is None:
            new.append(
                H5PLibrary(
                    machine_name=library.ref.machine_name,
                    major_version=library.ref.major,
                    minor_version=library.ref.minor,
                    **fields,
                )
            )
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            upgraded.append(row)
    # Rows first: a concurrent import of the same new library waits on the unique index,
    # then fails before writing any file (so its clean-up cannot remove ours).
    H5PLibrary.objects.bulk_create(new)
    if upgraded:
        H5PLibrary.objects.bulk_update(upgraded, list(fields))
        _add_new_dependencies(upgraded)
    libraries = [library for library in package.to_install if library.ref in installing]
    present = storage.library_folders_present(libraries)
    for library in libraries:
        files.extend(storage.library_files(package, library, present))
    return files


def _add_new_dependencies(upgraded):
    """A higher patch may depend on libraries its predecessor did not: content versions
    using it must be allowed to load them too (the player is served only the libraries
    recorded for a version)."""
    versions = (
        H5PContentVersion.objects.filter(libraries__in=upgraded)
        .distinct()
        .prefetch_related("libraries")
    )
    for version in versions:
        have = {
            LibraryRef(library.machine_name, library.major_version, library.minor_version)
            for library in version.libraries.all()
        }
        required = play_closure(version.h5p_json, {}, find_installed_libraries)
        if missing := set(required) - have:
            version.libraries.add(*find_installed_libraries(missing).values())
