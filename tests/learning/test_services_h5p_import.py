"""Importing H5P packages: the service, trust tiers and the patch rule, the command."""

import hashlib
import io
import json
import time
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import H5PContent, H5PContentVersion, H5PLibrary
from learning.storage import private_storage
from tests.concurrency import run_concurrently
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files

pytestmark = pytest.mark.django_db
LIBRARY_FILES = [name for name in samples.package_files() if name.startswith("H5P.CBQuick")]


@pytest.fixture
def course_editor(user):
    user.groups.add(Group.objects.get(name=GROUP_COURSE_EDITORS))
    return user


@pytest.fixture
def library_installer(course_editor):
    course_editor.user_permissions.add(Permission.objects.get(codename="install_h5p_library"))
    return type(course_editor).objects.get(pk=course_editor.pk)  # fresh permission cache


def install_library(h5p_upload, version="1.0.0"):
    return import_h5p(
        h5p_upload(library_version=version), user=None, allow_libraries=True
    ).libraries.get()


# -- the service --------------------------------------------------------------------------


def test_import_stores_content_version_library_and_package(h5p_upload, library_installer):
    data = samples.build_package(title="Rio quiz")
    version = import_h5p(h5p_upload(data=data), user=library_installer, allow_libraries=True)

    content = version.content
    assert content.title == "Rio quiz"
    assert content.created_by == library_installer
    assert content.current_version == version
    assert version.number == 1
    assert version.main_library == "H5P.CBQuickCheck 1.0"
    assert version.h5p_json["title"] == "Rio quiz"
    assert version.uploaded_by == library_installer
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.storage_prefix == f"h5p/content/{content.pk}/v1/"
    with version.package.open("rb") as package:
        assert package.read() == data

    library = H5PLibrary.objects.get()
    assert (library.machine_name, library.version, library.runnable) == (
        "H5P.CBQuickCheck",
        "1.0.0",
        True,
    )
    assert library.folder_name == "H5P.CBQuickCheck-1.0"
    assert library.storage_path == "h5p/libraries/H5P.CBQuickCheck-1.0.0/"
    assert library.installed_by == library_installer
    assert library.metadata["preloadedJs"] == [{"path": "cbquickcheck.js"}]
    assert list(version.libraries.all()) == [library]
    for name in ("cbquickcheck.js", "cbquickcheck.css", "library.json"):
        assert private_storage().exists(library.storage_path + name)
    for name in ("h5p.json", "content/content.json"):
        assert private_storage().exists(version.storage_prefix + name)


def test_files_only_the_editor_reads_are_validated_but_not_written(h5p_upload):
    """The player never requests a library's semantics translations, semantics, upgrade
    or pre-save scripts: not written (one object each on S3), but still in the package;
    a file library.json preloads is written wherever it is."""
    folder = "H5P.CBQuickCheck-1.0"
    editor_files = {
        f"{folder}/language/fr.json": b'{"semantics": []}',
        f"{folder}/language/.en.json": b'{"semantics": []}',
        f"{folder}/upgrades.js": b"H5PUpgrades = {};",
    }
    version = import_h5p(
        h5p_upload(
            extra_files={**editor_files, f"{folder}/presave.js": b"var preloaded = true;"},
            library_json_overrides={
                "preloadedJs": [{"path": "cbquickcheck.js"}, {"path": "presave.js"}]
            },
        ),
        user=None,
        allow_libraries=True,
    )

    stored = stored_h5p_files()
    prefix = version.libraries.get().storage_path.removeprefix("h5p/")
    assert {prefix + name for name in ("library.json", "cbquickcheck.js", "presave.js")} <= stored
    for name in (*editor_files, f"{folder}/semantics.json"):
        assert prefix + name.removeprefix(folder + "/") not in stored
    with version.package.open("rb") as package, zipfile.ZipFile(package) as archive:
        assert set(editor_files) <= set(archive.namelist())

    # Still validated: a broken translation refuses the package.
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(
            h5p_upload(extra_files={f"{folder}/language/de.json": b"{not json"}),
            user=None,
            allow_libraries=True,
        )
    assert caught.value.codes == ["language-file-syntax"]


def test_the_same_files_zip_to_the_same_package_at_any_time(monkeypatch):
    """A package built again is the same package (same bytes, same SHA-256): re-uploads
    are recognised whatever the clock says (a test once failed across a second)."""
    first = samples.build_package()
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    assert samples.build_package() == first


def test_title_given_overrides_h5p_json_title(h5p_upload):
    version = import_h5p(h5p_upload(), user=None, title="Mine", allow_libraries=True)
    assert version.content.title == "Mine"


def test_replacing_the_package_creates_an_immutable_new_version(h5p_upload):
    first = import_h5p(h5p_upload(question="Old?"), user=None, allow_libraries=True)
    second = import_h5p(h5p_upload(question="New?"), user=None, content=first.content)

    assert second.content == first.content
    assert second.number == 2
    assert second.storage_prefix != first.storage_prefix
    first.content.refresh_from_db()
    assert first.content.current_version == second
    with private_storage().open(first.storage_prefix + "content/content.json") as old:
        assert b"Old?" in old.read()
    with private_storage().open(second.storage_prefix + "content/content.json") as new:
        assert b"New?" in new.read()
    assert H5PContentVersion.objects.filter(content=first.content).count() == 2


def test_library_stored_once_per_patch_version(h5p_upload):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    files = stored_h5p_files()
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    new_files = stored_h5p_files() - files
    assert H5PLibrary.objects.count() == 1
    assert not any(name.startswith("libraries/") for name in new_files)


def test_failure_after_files_were_written_removes_them(h5p_upload):
    """A replacement of content deleted meanwhile fails after the new library was written:
    its files are removed and its row rolled back."""
    content = import_h5p(h5p_upload(), user=None, allow_libraries=True).content
    H5PContent.objects.filter(pk=content.pk).delete()
    files_before, rows_before = stored_h5p_files(), h5p_row_counts()

    with pytest.raises(H5PContent.DoesNotExist):
        import_h5p(
            h5p_upload(library_version="1.0.1"), user=None, content=content, allow_libraries=True
        )

    assert stored_h5p_files() == files_before
    assert h5p_row_counts() == rows_before
    assert H5PLibrary.objects.get().patch_version == 0


# -- trust tiers and the patch rule ---------------------------------------------------------


def test_course_editor_may_upload_content_whose_libraries_are_installed(h5p_upload, course_editor):
    install_library(h5p_upload)
    version = import_h5p(h5p_upload(), user=course_editor)
    assert version.uploaded_by == course_editor


def test_non_privileged_uploader_is_refused_new_libraries(h5p_upload, course_editor):
    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(h5p_upload(), user=course_editor)
    assert caught.value.codes == ["library-not-installed"]
    assert "H5P.CBQuickCheck 1.0.0" in caught.value.messages[0]
    assert (stored_h5p_files(), h5p_row_counts()) == (files_before, rows_before)


def test_non_privileged_uploader_is_refused_upgraded_libraries(h5p_upload, course_editor):
    install_library(h5p_upload, "1.0.0")
    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(h5p_upload(library_version="1.0.2"), user=course_editor)
    assert caught.value.codes == ["library-upgrade-not-allowed"]
    assert "1.0.2" in caught.value.messages[0]
    assert (stored_h5p_files(), h5p_row_counts()) == (files_before, rows_before)


def test_non_privileged_uploader_may_bring_an_older_patch_installed_one_is_kept(
    h5p_upload, course_editor
):
    installed = install_library(h5p_upload, "1.0.3")
    version = import_h5p(h5p_upload(library_version="1.0.1"), user=course_editor)
    assert list(version.libraries.all()) == [installed]
    assert H5PLibrary.objects.get().patch_version == 3


def test_privileged_uploader_upgrades_a_library_to_a_higher_patch(h5p_upload, library_installer):
    old = install_library(h5p_upload, "1.0.0")
    version = import_h5p(
        h5p_upload(library_version="1.0.4"), user=library_installer, allow_libraries=True
    )
    library = H5PLibrary.objects.get()
    assert library.pk == old.pk
    assert library.patch_version == 4
    assert library.storage_path == "h5p/libraries/H5P.CBQuickCheck-1.0.4/"
    assert library.installed_by == library_installer
    assert private_storage().exists(library.storage_path + "cbquickcheck.js")
    # The older patch's files stay immutable at their own path.
    assert private_storage().exists(old.storage_path + "cbquickcheck.js")
    assert list(version.libraries.all()) == [library]


def test_lower_patch_never_replaces_an_installed_higher_patch(h5p_upload):
    install_library(h5p_upload, "1.0.5")
    import_h5p(h5p_upload(library_version="1.0.2"), user=None, allow_libraries=True)
    assert H5PLibrary.objects.get().patch_version == 5


def test_new_minor_version_is_a_separate_library(h5p_upload):
    install_library(h5p_upload, "1.0.0")
    install_library(h5p_upload, "1.1.0")
    assert sorted(str(library) for library in H5PLibrary.objects.all()) == [
        "H5P.CBQuickCheck 1.0.0",
        "H5P.CBQuickCheck 1.1.0",
    ]


def test_allow_libraries_needs_the_install_permission(h5p_upload, course_editor):
    with pytest.raises(PermissionDenied):
        import_h5p(h5p_upload(), user=course_editor, allow_libraries=True)
    assert h5p_row_counts() == {"H5PContent": 0, "H5PContentVersion": 0, "H5PLibrary": 0}


def test_uploading_needs_the_add_permission(h5p_upload, user):
    install_library(h5p_upload)
    with pytest.raises(PermissionDenied):
        import_h5p(h5p_upload(), user=user)
    assert H5PContent.objects.count() == 1


def test_replacing_needs_the_change_permission(h5p_upload, user):
    content = install_library(h5p_upload).content_versions.get().content
    user.user_permissions.add(Permission.objects.get(codename="add_h5pcontent"))
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(PermissionDenied):
        import_h5p(h5p_upload(), user=user, content=content)
    assert content.versions.count() == 1


def test_course_editors_group_has_h5p_permissions_but_not_library_install(course_editor):
    assert course_editor.has_perms(
        ["learning.add_h5pcontent", "learning.change_h5pcontent", "learning.view_h5pcontent"]
    )
    assert not course_editor.has_perm("learning.install_h5p_library")


# -- demo content ---------------------------------------------------------------------------


def test_ensure_demo_content_is_idempotent():
    first = samples.ensure_demo_content("Quiz", "Which?", ["A", "B"], 1)
    again = samples.ensure_demo_content("Quiz", "Which?", ["A", "B"], 1)
    assert first == again
    assert H5PContentVersion.objects.count() == 1
    with private_storage().open(first.current_version.storage_prefix + "content/content.json") as f:
        assert b'"correct": true' in f.read()


# -- the command ----------------------------------------------------------------------------


def run_command(*args):
    """``(exit status, stdout, stderr)`` as ``manage.py import_h5p ...`` would give."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_h5p", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), f"CommandError: {exc}\n"
    return 0, out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_new_content_id(tmp_path):
    path = tmp_path / "quiz.h5p"
    path.write_bytes(samples.build_package())
    code, out, err = run_command(str(path), "--title", "Quiz", "--allow-libraries")
    content = H5PContent.objects.get()
    assert (code, out.strip()) == (0, str(content.pk))
    assert content.title == "Quiz"
    package_name = content.current_version.package.name
    assert package_name.startswith(f"h5p/packages/{content.pk}/v1/quiz")


def test_command_without_allow_libraries_refuses_new_libraries(tmp_path):
    path = tmp_path / "quiz.h5p"
    path.write_bytes(samples.build_package())
    code, out, err = run_command(str(path))
    assert code == 2
    assert "H5P.CBQuickCheck 1.0.0" in err
    assert h5p_row_counts()["H5PContent"] == 0


def test_command_invalid_package_exits_2_with_one_line_and_writes_nothing(tmp_path):
    path = tmp_path / "broken.h5p"
    path.write_bytes(samples.build_package(extra_files={"content/x.svg": b"<svg/>"}))
    files_before = stored_h5p_files()
    code, out, err = run_command(str(path), "--allow-libraries")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "content/x.svg" in err
    assert h5p_row_counts() == {"H5PContent": 0, "H5PContentVersion": 0, "H5PLibrary": 0}
    assert stored_h5p_files() == files_before


def test_command_missing_file_is_a_clear_error(tmp_path):
    code, out, err = run_command(str(tmp_path / "nope.h5p"))
    assert code == 1
    assert "Cannot read" in err


def test_deleting_content_deletes_its_version_files_but_keeps_libraries(
    h5p_upload, django_capture_on_commit_callbacks
):
    first = import_h5p(h5p_upload(), user=None, allow_libraries=True)
    second = import_h5p(h5p_upload(), user=None, content=first.content)
    library = H5PLibrary.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        first.content.delete()
    for version in (first, second):
        assert not private_storage().exists(version.storage_prefix + "content/content.json")
        assert not private_storage().exists(version.storage_prefix + "h5p.json")
        assert not private_storage().exists(version.package.name)
    assert private_storage().exists(library.storage_path + "cbquickcheck.js")


def test_patch_upgrade_with_a_new_dependency_extends_older_content_versions(h5p_upload):
    older = import_h5p(h5p_upload(), user=None, allow_libraries=True)
    helper = {
        "title": "Helper",
        "machineName": "H5P.CBHelper",
        "majorVersion": 1,
        "minorVersion": 0,
        "patchVersion": 0,
        "runnable": 0,
        "preloadedJs": [{"path": "helper.js"}],
    }
    upgrade = h5p_upload(
        library_version="1.0.1",
        library_json_overrides={
            "preloadedDependencies": [
                {"machineName": "H5P.CBHelper", "majorVersion": 1, "minorVersion": 0}
            ]
        },
        extra_files={
            "H5P.CBHelper-1.0/library.json": json.dumps(helper).encode(),
            "H5P.CBHelper-1.0/helper.js": b"var H5P = H5P || {};",
        },
    )
    newer = import_h5p(upgrade, user=None, allow_libraries=True)

    expected = ["H5P.CBHelper 1.0.0", "H5P.CBQuickCheck 1.0.1"]
    assert sorted(str(library) for library in newer.libraries.all()) == expected
    assert sorted(str(library) for library in older.libraries.all()) == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_installing_the_same_library_both_succeed():
    from django.core.files.base import ContentFile

    data = samples.build_package()

    def upload(_n):
        return import_h5p(ContentFile(data, name="quiz.h5p"), user=None, allow_libraries=True).pk

    results, errors = run_concurrently(upload, range(2))

    assert errors == []
    assert None not in results
    library = H5PLibrary.objects.get()
    for name in ("library.json", "cbquickcheck.js", "cbquickcheck.css"):
        assert private_storage().exists(library.storage_path + name)
    for version in H5PContentVersion.objects.all():
        assert list(version.libraries.all()) == [library]


def test_blank_title_falls_back_to_the_packages_title(h5p_upload):
    version = import_h5p(
        h5p_upload(title="From h5p.json"), user=None, title="  ", allow_libraries=True
    )
    assert version.content.title == "From h5p.json"


@override_settings(LEARNING_H5P_STORAGE_WORKERS=1)
def test_import_without_parallel_writes(h5p_upload):
    version = import_h5p(h5p_upload(), user=None, allow_libraries=True)
    library = version.libraries.get()
    assert private_storage().exists(library.storage_path + "cbquickcheck.js")
    assert private_storage().exists(version.storage_prefix + "content/content.json")


def test_deleting_a_versions_files_on_disk_leaves_no_empty_folder():
    """Orphans under a content prefix (a rolled-back import whose id comes again) are
    removed before the new files are written: their folders go with them."""
    import os

    from django.core.files.base import ContentFile

    from learning.h5p.storage import delete_prefix

    storage = private_storage()
    for name in ("h5p/content/987/v1/h5p.json", "h5p/content/987/v1/content/content.json"):
        storage.save(name, ContentFile(b"{}"))
    storage.save("h5p/content/987/v2/h5p.json", ContentFile(b"{}"))
    delete_prefix("h5p/content/987/v1/")
    assert not os.path.exists(storage.path("h5p/content/987/v1"))
    assert storage.exists("h5p/content/987/v2/h5p.json")  # another version: kept
    delete_prefix("h5p/content/987/v2/")
    assert not os.path.exists(storage.path("h5p/content/987"))  # left empty: gone too
