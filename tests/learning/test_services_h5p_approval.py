"""H5P library approval: an editor's package that brings libraries is held (validated,
stored privately, unextracted, unplayable) until someone allowed to install libraries
approves it (H5P.md "Trust tiers": only that permission adds library code)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from learning.h5p.errors import H5PValidationError
from learning.h5p.services import (
    approve_h5p_version,
    awaiting_approval,
    import_h5p,
    reject_h5p_version,
)
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import H5PContent, H5PContentVersion, H5PLibrary
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(user):
    user.groups.add(Group.objects.get(name=GROUP_COURSE_EDITORS))
    return user


@pytest.fixture
def installer(other_user):
    group = Group.objects.create(name="Library installers")
    group.permissions.add(Permission.objects.get(codename="install_h5p_library"))
    other_user.groups.add(group)
    return other_user


def hold(h5p_upload, editor, **overrides):
    return import_h5p(
        h5p_upload(**overrides), user=editor, hold_new_libraries=True, reuse_same_package=True
    )


def test_trust_tiers_editor_package_with_new_library_is_held_not_installed(
    h5p_upload, editor, installer, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    files_before = stored_h5p_files()  # other tests' files may share the storage
    with django_capture_on_commit_callbacks(execute=True):
        version = hold(h5p_upload, editor, title="Rio quiz")

    assert version.status == H5PContentVersion.Status.AWAITING_APPROVAL
    assert version.content.current_version is None  # not playable
    assert H5PLibrary.objects.count() == 0
    assert version.libraries_brought == [
        {
            "machine_name": "H5P.CBQuickCheck",
            "version": "1.0.0",
            "title": version.libraries_brought[0]["title"],
            "installed": None,
        }
    ]
    # Only the package itself is stored (privately), nothing extracted.
    package_folder = f"packages/{version.content_id}/"
    assert all(name.startswith(package_folder) for name in stored_h5p_files() - files_before)
    assert any(name.startswith(package_folder) for name in stored_h5p_files())
    assert list(awaiting_approval()) == [version]
    # Both people who may install libraries are told, with the review link.
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [installer.email, admin_user.email]
    )
    assert "Rio quiz" in mailoutbox[0].subject
    assert f"/learning/h5p-approvals/{version.pk}/" in mailoutbox[0].body
    assert "H5P.CBQuickCheck 1.0.0" in mailoutbox[0].body


def test_without_hold_the_editor_upload_is_still_refused(h5p_upload, editor):
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(h5p_upload(), user=editor)
    assert "library-not-installed" in caught.value.codes
    assert h5p_row_counts() == {"H5PContent": 0, "H5PContentVersion": 0, "H5PLibrary": 0}


def test_held_package_with_installed_libraries_plays_at_once(h5p_upload, editor):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    version = hold(h5p_upload, editor, title="Another quiz")
    assert version.status == H5PContentVersion.Status.PLAYABLE
    assert version.content.current_version == version


def test_approval_installs_libraries_and_makes_the_content_playable(
    h5p_upload, editor, installer, mailoutbox, django_capture_on_commit_callbacks
):
    version = hold(h5p_upload, editor)
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_h5p_version(version, user=installer)

    assert approved.status == H5PContentVersion.Status.PLAYABLE
    assert (approved.decided_by, approved.decided_at is not None) == (installer, True)
    library = H5PLibrary.objects.get()
    assert library.installed_by == installer
    content = H5PContent.objects.get()
    assert content.current_version == approved
    assert list(approved.libraries.all()) == [library]
    files = stored_h5p_files()
    assert f"content/{content.pk}/v1/h5p.json" in files
    assert "libraries/H5P.CBQuickCheck-1.0.0/library.json" in files
    [mail] = mailoutbox
    assert mail.to == [editor.email]
    assert "approved" in mail.subject


def test_rejection_keeps_it_unplayable_and_tells_the_uploader_why(
    h5p_upload, editor, installer, mailoutbox, django_capture_on_commit_callbacks
):
    version = hold(h5p_upload, editor)
    with django_capture_on_commit_callbacks(execute=True):
        rejected = reject_h5p_version(version, user=installer, note="Use the H5P.org version.")
    assert rejected.status == H5PContentVersion.Status.REJECTED
    assert H5PContent.objects.get().current_version is None
    assert H5PLibrary.objects.count() == 0
    [mail] = mailoutbox
    assert mail.to == [editor.email]
    assert "rejected" in mail.subject
    assert "Use the H5P.org version." in mail.body
    # A decision once taken stands: approving afterwards changes nothing.
    assert approve_h5p_version(rejected, user=installer).status == "rejected"
    assert H5PLibrary.objects.count() == 0


def test_editor_cannot_approve_or_reject(h5p_upload, editor):
    version = hold(h5p_upload, editor)
    with pytest.raises(PermissionDenied):
        approve_h5p_version(version, user=editor)
    with pytest.raises(PermissionDenied):
        reject_h5p_version(version, user=editor)
    version.refresh_from_db()
    assert version.status == H5PContentVersion.Status.AWAITING_APPROVAL
    assert H5PLibrary.objects.count() == 0


def test_approving_twice_installs_once(h5p_upload, editor, installer):
    version = hold(h5p_upload, editor)
    approve_h5p_version(version, user=installer)
    files = stored_h5p_files()
    again = approve_h5p_version(version, user=installer)
    assert again.status == "playable"
    assert stored_h5p_files() == files
    assert H5PLibrary.objects.count() == 1


def test_upgrade_held_while_older_version_keeps_playing(h5p_upload, editor, installer):
    first = import_h5p(h5p_upload(library_version="1.0.0"), user=None, allow_libraries=True)
    pending = import_h5p(
        h5p_upload(library_version="1.0.4"),
        user=editor,
        content=first.content,
        hold_new_libraries=True,
    )
    assert pending.libraries_brought[0]["installed"] == "1.0.0"
    assert H5PContent.objects.get().current_version == first
    approve_h5p_version(pending, user=installer)
    assert H5PContent.objects.get().current_version == pending
    assert H5PLibrary.objects.get().patch_version == 4


def test_reupload_of_the_same_package_reuses_the_content(h5p_upload, editor):
    first = import_h5p(h5p_upload(), user=None, allow_libraries=True)
    again = import_h5p(h5p_upload(), user=editor, reuse_same_package=True)
    assert again.pk == first.pk and again.reused
    assert h5p_row_counts() == {"H5PContent": 1, "H5PContentVersion": 1, "H5PLibrary": 1}
    # Also as a "replacement" of the same content: no identical version 2.
    same = import_h5p(h5p_upload(), user=editor, content=first.content, reuse_same_package=True)
    assert same.pk == first.pk and same.reused


def test_reupload_of_a_held_package_reuses_the_held_content(h5p_upload, editor):
    held = hold(h5p_upload, editor)
    again = hold(h5p_upload, editor)
    assert again.pk == held.pk and again.reused
    assert h5p_row_counts() == {"H5PContent": 1, "H5PContentVersion": 1, "H5PLibrary": 0}


def test_a_different_package_is_not_reused(h5p_upload, editor):
    import_h5p(h5p_upload(title="One"), user=None, allow_libraries=True)
    other = import_h5p(h5p_upload(title="Two"), user=editor, reuse_same_package=True)
    assert not getattr(other, "reused", False)
    assert H5PContent.objects.count() == 2


def test_without_reuse_the_same_package_makes_another_content(h5p_upload):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    import_h5p(h5p_upload(), user=None)
    assert H5PContent.objects.count() == 2
