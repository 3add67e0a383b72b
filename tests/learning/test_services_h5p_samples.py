"""Real packages from public repositories (../shared/h5p-samples, present in CI)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files import File

from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p
from learning.models import H5PLibrary
from learning.storage import private_storage
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files

pytestmark = [pytest.mark.django_db, pytest.mark.samples]

VALID = {
    "agamotto__lumi-valid3-3-images.h5p": "H5P.Agamotto 1.5",
    "column-mixed-questions__dthies-contenttype_repurpose.h5p": "H5P.Column 1.13",
    "column-video-dragquestion__lumi-interactive-content-2260.h5p": "H5P.Column 1.12",
    "dragtext__edly-h5pxblock.h5p": "H5P.DragText 1.10",
    "greetingcard-minimal__lumi-valid2.h5p": "H5P.GreetingCard 1.0",
    "questionset-multichoice__justineuro-h5p-mcq-maker.h5p": "H5P.QuestionSet 1.20",
    "truefalse__tunapanda-h5p-standalone.h5p": "H5P.TrueFalse 1.6",
}
# file -> (rule, file named in the message)
INVALID = {
    "blanks-with-xss-svg__lumi-svg-sanitizer.h5p": ("scriptable-content", "content/images/xss.svg"),
    "invalid/corrupt_archive.h5p": ("not-a-zip", "corrupt_archive.h5p"),
    "invalid/broken-h5p-json.h5p": ("h5p-json-syntax", "h5p.json"),
    "invalid/invalid-h5p-json-schema.h5p": ("h5p-json-invalid", "mainLibrary"),
    "invalid/invalid-library-directory-name.h5p": (
        "library-folder-name",
        "H5P.GreetingCard-1.0/library.json",
    ),
    "invalid/missing-preloaded-js.h5p": ("missing-preloaded-file", "greetingcard.js"),
    "invalid/2-invalid-libraries.h5p": (
        "language-file-name",
        "H5P.GreetingCard-1.0/language/XXX!.json",
    ),
}


def import_sample(path, **kwargs):
    with open(path, "rb") as package:
        return import_h5p(File(package, name=path.name), **kwargs)


def test_every_sample_is_classified(samples_dir):
    found = {str(path.relative_to(samples_dir)) for path in samples_dir.glob("**/*.h5p")}
    assert found == set(VALID) | set(INVALID)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_sample_imports(samples_dir, name):
    version = import_sample(samples_dir / name, user=None, allow_libraries=True)

    assert version.main_library == VALID[name]
    assert private_storage().exists(version.storage_prefix + "content/content.json")
    assert private_storage().exists(version.storage_prefix + "h5p.json")
    main = version.libraries.get(
        machine_name=version.h5p_json["mainLibrary"],
    )
    for script in main.metadata.get("preloadedJs", []):
        assert private_storage().exists(main.storage_path + script["path"])
    stored = stored_h5p_files()
    assert not any(name.endswith(("H5P_CONTENT_HERE.txt", "h5p-pr.json")) for name in stored)


def test_all_valid_samples_share_installed_libraries(samples_dir, user):
    for name in sorted(VALID):
        import_sample(samples_dir / name, user=None, allow_libraries=True)
    installed = H5PLibrary.objects.count()
    # Once its libraries are installed, an author without the install permission may
    # upload the same package again.
    user.user_permissions.add(Permission.objects.get(codename="add_h5pcontent"))
    user = type(user).objects.get(pk=user.pk)
    version = import_sample(samples_dir / "truefalse__tunapanda-h5p-standalone.h5p", user=user)
    assert version.uploaded_by == user
    assert H5PLibrary.objects.count() == installed


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_sample_is_refused_with_the_expected_reason(samples_dir, name):
    code, named = INVALID[name]
    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_sample(samples_dir / name, user=None, allow_libraries=True)
    assert code in caught.value.codes, caught.value.messages
    assert any(named in message for message in caught.value.messages)
    assert (stored_h5p_files(), h5p_row_counts()) == (files_before, rows_before)


def test_second_invalid_library_without_title_is_reported_too(samples_dir):
    with pytest.raises(H5PValidationError) as caught:
        import_sample(
            samples_dir / "invalid/2-invalid-libraries.h5p", user=None, allow_libraries=True
        )
    assert "library-json-invalid" in caught.value.codes
    assert any("H5P.GreetingCard2-1.0/library.json" in m for m in caught.value.messages)


def test_real_package_from_an_editor_is_held_then_approved(samples_dir, user, admin_user):
    """Issue #14 item 5 with a real H5P.org-style package: held with the libraries it
    brings listed, playable once an installer approves it."""
    from learning.h5p.services import approve_h5p_version

    user.user_permissions.add(Permission.objects.get(codename="add_h5pcontent"))
    user = type(user).objects.get(pk=user.pk)
    held = import_sample(
        samples_dir / "truefalse__tunapanda-h5p-standalone.h5p",
        user=user,
        hold_new_libraries=True,
    )
    assert held.awaiting_approval and held.content.current_version is None
    brought = {library["machine_name"] for library in held.libraries_brought}
    assert "H5P.TrueFalse" in brought
    assert H5PLibrary.objects.count() == 0
    approved = approve_h5p_version(held, user=admin_user)
    assert approved.content.current_version == approved
    assert brought <= set(H5PLibrary.objects.values_list("machine_name", flat=True))
    assert private_storage().exists(approved.storage_prefix + "content/content.json")
