"""Hostile entry names in H5P packages (issue 18, item 4): each refused with a clear message
naming the entry, nothing written (no file, no folder, no row), on import and on
replacing a package; the ``import_h5p`` command exits 2 on a refusal."""

import json
import os
import shutil
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p
from learning.h5p.validator.libraries import MACHINE_NAME_RE
from learning.storage import private_storage
from tests.fixtures_h5p_import import h5p_row_counts, raw_entries

pytestmark = pytest.mark.django_db


def with_entries(*entries):
    return samples.zip_bytes(raw_entries([(name, data) for name, data in entries]))


def with_nul(visible, stored):
    """A package whose entry ``visible`` is stored as ``stored`` (same length, with NUL):
    zipfile cannot write a NUL into a name, so the bytes are patched."""
    data = with_entries((visible, b"{}"))
    assert data.count(visible.encode()) == 2  # local and central header
    return data.replace(visible.encode(), stored.encode())


def storage_tree():
    """Every file and folder under the private storage's h5p/ folder."""
    root = os.path.join(private_storage().location, "h5p")
    found = set()
    for directory, folders, files in os.walk(root):
        found.update(os.path.relpath(os.path.join(directory, n), root) for n in folders + files)
    return found


def empty_folders():
    root = os.path.join(private_storage().location, "h5p")
    return {
        os.path.relpath(directory, root)
        for directory, folders, files in os.walk(root)
        if not folders and not files and directory != root
    }


HOSTILE = {
    "C0 control": (with_entries(("content/bell\x07.json", b"{}")), "invalid-name", "\\u0007"),
    "line break": (with_entries(("content/a\nb.json", b"{}")), "invalid-name", "\\u000a"),
    "DEL": (with_entries(("content/del\x7f.json", b"{}")), "invalid-name", "\\u007f"),
    "C1 control": (with_entries(("content/c1\x85.json", b"{}")), "invalid-name", "\\u0085"),
    "NUL": (
        with_nul("content/a.jsonX.png", "content/a.json\x00.png"),
        "invalid-name",
        "content/a.json\\u0000.png",
    ),
    "right-to-left override": (
        with_entries(("content/evil\u202ejson.txt", b"{}")),
        "bidi-control",
        "content/evil\\u202ejson.txt",
    ),
    "isolate": (with_entries(("content/x\u2066.json", b"{}")), "bidi-control", "\\u2066"),
    "over-long path": (
        with_entries(("content/" + "/".join(["d" * 100] * 10) + "/a.json", b"{}")),
        "name-too-long",
        "content/dddd",
    ),
    "over-long segment": (
        with_entries(("content/" + "s" * 300 + ".json", b"{}")),
        "name-too-long",
        "content/ssss",
    ),
    # Found by the fuzzing in test_fuzzing.py: an entry with no name at all crashed the
    # file-and-folder check (IndexError) instead of being refused.
    "empty name": (with_entries((zipfile.ZipInfo(""), b"")), "invalid-name", "“”"),
    "file and folder": (
        with_entries(("content/images", b"x"), ("content/images/a.json", b"{}")),
        "file-and-folder",
        "content/images",
    ),
    "file and folder in a library": (
        with_entries(
            ("H5P.CBQuickCheck-1.0/lib.js", b"1"), ("H5P.CBQuickCheck-1.0/lib.js/a.js", b"1")
        ),
        "file-and-folder",
        "H5P.CBQuickCheck-1.0/lib.js",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_names_are_refused_naming_the_entry_and_nothing_is_written(case):
    data, code, shown = HOSTILE[case]
    before_tree, before_rows = storage_tree(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(ContentFile(data, name="hostile.h5p"), user=None, allow_libraries=True)
    assert code in caught.value.codes, caught.value.messages
    message = " ".join(caught.value.messages)
    assert shown in message
    # The message shows control and direction characters escaped, never raw.
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in message)
    assert storage_tree() == before_tree
    assert h5p_row_counts() == before_rows


@pytest.mark.parametrize("case", ["file and folder", "over-long segment", "NUL"])
def test_replacing_a_package_refuses_them_too(quick_check_content, case):
    data, code, _shown = HOSTILE[case]
    before_tree, before_rows = storage_tree(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(
            ContentFile(data, name="hostile.h5p"),
            user=None,
            content=quick_check_content,
            allow_libraries=True,
        )
    assert code in caught.value.codes
    assert storage_tree() == before_tree and h5p_row_counts() == before_rows
    quick_check_content.refresh_from_db()
    assert quick_check_content.versions.count() == 1


@pytest.mark.parametrize("case", ["file and folder", "over-long path", "over-long segment"])
def test_the_import_command_exits_2_on_a_refusal(tmp_path, case):
    data, code, _shown = HOSTILE[case]
    path = tmp_path / "hostile.h5p"
    path.write_bytes(data)
    before_tree = storage_tree()
    with pytest.raises(CommandError) as caught:
        call_command("import_h5p", str(path), "--allow-libraries")
    assert caught.value.returncode == 2
    assert "Invalid H5P package" in str(caught.value)
    assert storage_tree() == before_tree


def test_ordinary_unicode_names_are_still_accepted():
    data = with_entries(("content/café-日本語-ملف.json", b"{}"))
    version = import_h5p(ContentFile(data, name="ok.h5p"), user=None, allow_libraries=True)
    assert version.pk


def test_the_bundled_library_is_valid_under_the_h5p_library_schema():
    """Lumi refuses a package whose library.json names a license outside H5P's list; the
    project's own library must move to any H5P host."""
    from learning.h5p.validator.schema import H5P_LICENSES

    metadata = json.loads((samples.LIBRARY_DIR / "library.json").read_text())
    assert metadata["license"] in H5P_LICENSES
    assert MACHINE_NAME_RE.match(metadata["machineName"])
    for key in ("title", "machineName", "majorVersion", "minorVersion", "patchVersion"):
        assert key in metadata
    assert metadata["runnable"] in (0, 1)
    assert set(metadata["embedTypes"]) <= {"iframe", "div"}


def test_an_import_failing_while_writing_leaves_no_empty_folders():
    """A real write failure half-way (a folder already where a library file goes): the
    files written are removed, and so are the folders they left empty."""
    planted = os.path.join(
        private_storage().location, "h5p/libraries/H5P.CBQuickCheck-1.0.7/cbquickcheck.js"
    )
    os.makedirs(planted)
    with open(os.path.join(planted, "keep.txt"), "w") as handle:
        handle.write("not ours")
    try:
        before_tree, before_rows = storage_tree(), h5p_row_counts()
        empty_before = empty_folders()
        data = samples.build_package(library_version="1.0.7")
        with pytest.raises(FileExistsError):
            import_h5p(ContentFile(data, name="ok.h5p"), user=None, allow_libraries=True)
        # (Orphans of earlier tests' rolled-back contents may have been replaced, so the
        # check is: nothing new, and no folder left empty.)
        assert storage_tree() <= before_tree
        assert empty_folders() <= empty_before
        assert h5p_row_counts() == before_rows
    finally:
        shutil.rmtree(os.path.dirname(planted))
