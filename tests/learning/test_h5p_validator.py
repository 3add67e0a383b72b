"""Every rule of the H5P package validator, each with its own crafted archive.

Each refused package goes through the real import service as the trusted command line
would (``allow_libraries=True``), and the test checks the rule named in the error, the
file named in the message, and that neither storage nor the database changed.
"""

import contextlib
import io
import json
import random
import stat
import zipfile

import pytest
from django.test import override_settings

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.validator import validate_package
from learning.services import import_h5p
from tests.fixtures_h5p_import import h5p_row_counts, stored_h5p_files

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LIBRARY_FOLDER = "H5P.CBQuickCheck-1.0"


def refused(data, code, file=None, name="package.h5p"):
    """Import ``data``; assert it is refused for ``code`` naming ``file``, nothing written."""
    from django.core.files.base import ContentFile

    files_before, rows_before = stored_h5p_files(), h5p_row_counts()
    with pytest.raises(H5PValidationError) as caught:
        import_h5p(ContentFile(data, name=name), user=None, allow_libraries=True)
    error = caught.value
    assert code in error.codes, error.messages
    if file is not None:
        assert any(file in message for message in error.messages), error.messages
    assert stored_h5p_files() == files_before
    assert h5p_row_counts() == rows_before
    return error


def files_with(**changes):
    files = samples.package_files()
    files.update(changes)
    return files


def raw_entries(extra):
    """The valid package's files plus ``extra`` (name or ZipInfo, bytes) pairs."""
    return list(samples.package_files().items()) + list(extra)


def patch_zip(data, name, *, local_offset, central_offset, value, size=2, mode="or"):
    """Change a header field of entry ``name`` in both its local and central headers."""
    buffer = bytearray(data)
    encoded = name.encode()
    for signature, name_length_at, name_at, offset in (
        (b"PK\x03\x04", 26, 30, local_offset),
        (b"PK\x01\x02", 28, 46, central_offset),
    ):
        position = 0
        while (position := buffer.find(signature, position)) != -1:
            length = int.from_bytes(
                buffer[position + name_length_at : position + name_length_at + 2], "little"
            )
            if buffer[position + name_at : position + name_at + length] == encoded:
                field = slice(position + offset, position + offset + size)
                current = int.from_bytes(buffer[field], "little")
                new = current | value if mode == "or" else value
                buffer[field] = new.to_bytes(size, "little")
            position += 4
    return bytes(buffer)


# -- the valid baseline -------------------------------------------------------------------


def test_valid_package_of_the_projects_own_content_type():
    package = validate_package(io.BytesIO(samples.build_package()), may_install_libraries=True)
    assert str(package.main_library) == "H5P.CBQuickCheck 1.0"
    assert [library.version for library in package.to_install] == ["1.0.0"]
    assert [info.filename for info in package.content_files] == [
        "h5p.json",
        "content/content.json",
    ]


def test_versions_as_strings_or_ints_are_accepted():
    package = samples.build_package(
        library_json_overrides={"majorVersion": "1", "minorVersion": "0", "patchVersion": "3"}
    )
    validated = validate_package(io.BytesIO(package), may_install_libraries=True)
    assert validated.to_install[0].patch == 3
    as_ints = samples.build_package(
        h5p_json={
            "preloadedDependencies": [
                {"machineName": "H5P.CBQuickCheck", "majorVersion": 1, "minorVersion": 0}
            ]
        }
    )
    assert validate_package(io.BytesIO(as_ints), may_install_libraries=True)


def test_stray_top_level_files_and_dot_or_underscore_segments_are_ignored(h5p_upload):
    data = samples.build_package(
        extra_files={
            "H5P_CONTENT_HERE.txt": b"stray",
            "h5p-pr.json": b"{}",
            "__MACOSX/content/._content.json": b"\x00\x05\x16\x07 resource fork",
            "content/.DS_Store": b"\x00\x00\x00\x01Bud1",
            f"{LIBRARY_FOLDER}/_notes/todo": b"no extension, but skipped",
        }
    )
    version = import_h5p(h5p_upload(data=data), user=None, allow_libraries=True)
    stored = stored_h5p_files()
    assert f"content/{version.content_id}/v1/content/content.json" in stored
    assert not any("H5P_CONTENT_HERE" in name or "MACOSX" in name for name in stored)
    assert not any("DS_Store" in name or "_notes" in name for name in stored)


# -- archive defences ---------------------------------------------------------------------


def test_not_a_zip_is_refused():
    refused(b"PK\x03\x04 this is not really a zip", "not-a-zip", "broken.h5p", name="broken.h5p")


@override_settings(LEARNING_H5P_MAX_FILES=5)
def test_entry_count_limit():
    extra = {f"content/file{index}.json": b"{}" for index in range(5)}
    refused(samples.build_package(extra_files=extra), "too-many-files", "package.h5p")


def test_backslash_in_a_name_is_refused():
    data = samples.zip_bytes(raw_entries([("content\\images\\photo.png", PNG)]))
    refused(data, "backslash", "content\\images\\photo.png")


def test_absolute_path_is_refused():
    data = samples.zip_bytes(raw_entries([("/tmp/evil.json", b"{}")]))
    refused(data, "absolute-path", "/tmp/evil.json")


def test_windows_drive_path_is_refused():
    data = samples.zip_bytes(raw_entries([("C:/evil.json", b"{}")]))
    refused(data, "absolute-path", "C:/evil.json")


def test_zip_slip_dot_dot_segment_is_refused():
    data = samples.zip_bytes(raw_entries([("content/../../../evil.json", b"{}")]))
    refused(data, "zip-slip", "content/../../../evil.json")


def test_control_characters_in_a_name_are_refused():
    data = samples.zip_bytes(raw_entries([("content/evil\x07.json", b"{}")]))
    refused(data, "invalid-name")


def test_symlink_entry_is_refused():
    link = zipfile.ZipInfo("content/passwd.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = samples.zip_bytes(raw_entries([(link, b"/etc/passwd")]))
    refused(data, "symlink", "content/passwd.txt")


def test_encrypted_entry_is_refused():
    data = samples.zip_bytes(raw_entries([("content/secret.json", b"{}")]))
    data = patch_zip(data, "content/secret.json", local_offset=6, central_offset=8, value=0x1)
    refused(data, "encrypted", "content/secret.json")


def test_case_insensitive_duplicate_names_are_refused():
    data = samples.zip_bytes(raw_entries([("content/Content.json", b"{}")]))
    refused(data, "duplicate-name", "content/Content.json")


@override_settings(LEARNING_H5P_MAX_FILE_SIZE=50_000)
def test_per_file_size_limit():
    data = samples.build_package(extra_files={"content/big.txt": b"x" * 60_000})
    refused(data, "file-too-large", "content/big.txt")


@override_settings(LEARNING_H5P_MAX_TOTAL_SIZE=100_000)
def test_total_size_limit():
    extra = {f"content/part{index}.txt": b"y" * 30_000 for index in range(4)}
    refused(samples.build_package(extra_files=extra), "package-too-large", "package.h5p")


def test_compression_ratio_limit_zip_bomb():
    # 5 MiB of zeros deflate to about 5 KiB: a 1000-fold expansion.
    data = samples.build_package(extra_files={"content/bomb.txt": b"0" * (5 * 1024 * 1024)})
    refused(data, "compression-ratio", "content/bomb.txt")


def test_declared_size_is_not_trusted_bytes_are_counted_while_streaming():
    # The headers claim 10 bytes; the entry really inflates to 200 KB.
    data = samples.build_package(extra_files={"content/liar.txt": b"z" * 200_000})
    data = patch_zip(
        data, "content/liar.txt", local_offset=22, central_offset=24, value=10, size=4, mode="set"
    )
    refused(data, "corrupt-entry", "content/liar.txt")


def test_corrupt_entry_data_is_refused():
    noise = random.Random(3).randbytes(5000)  # incompressible: the data spans 5000 bytes
    data = bytearray(samples.build_package(extra_files={"content/noise.png": PNG + noise}))
    start = data.find(b"content/noise.png") + len("content/noise.png") + 1000
    data[start : start + 50] = bytes(byte ^ 0xFF for byte in data[start : start + 50])
    refused(bytes(data), "corrupt-entry", "content/noise.png")


# -- allowlists and file types --------------------------------------------------------------


def test_extensionless_file_is_refused():
    refused(samples.build_package(extra_files={"content/README": b"hello"}), "no-extension")


@pytest.mark.parametrize("name", ["content/images/xss.svg", "content/run.js", "content/a.html"])
def test_scriptable_files_are_refused_in_content(name):
    data = samples.build_package(extra_files={name: b"<svg onload=alert(1)></svg>"})
    refused(data, "scriptable-content", name)


def test_svg_is_allowed_in_a_library_folder():
    data = samples.build_package(
        extra_files={f"{LIBRARY_FOLDER}/icon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


@pytest.mark.parametrize("name", ["content/tool.exe", f"{LIBRARY_FOLDER}/server.php"])
def test_extension_outside_the_allowlist_is_refused(name):
    refused(samples.build_package(extra_files={name: b"MZ"}), "extension-not-allowed", name)


def test_swf_is_not_allowed_even_though_h5p_core_lists_it():
    data = samples.build_package(extra_files={"content/movie.swf": b"FWS"})
    refused(data, "extension-not-allowed", "content/movie.swf")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("content/images/photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>"),
        ("content/images/photo.jpg", b"<html><script>alert(document.cookie)</script></html>"),
        ("content/doc.pdf", b"plain text pretending"),
        ("content/audio.mp3", b"<html></html>"),
        ("content/slides.pptx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 OLE, not OOXML"),
        ("content/images/empty.gif", b""),
    ],
)
def test_magic_bytes_must_match_the_extension(name, data):
    refused(samples.build_package(extra_files={name: data}), "magic-mismatch", name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("content/images/photo.png", PNG),
        ("content/images/photo.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("content/images/anim.gif", b"GIF89a\x01\x00"),
        ("content/video.mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("content/video.webm", b"\x1a\x45\xdf\xa3\x9f"),
        ("content/audio.ogg", b"OggS\x00\x02"),
        ("content/audio.mp3", b"ID3\x04\x00"),
        ("content/audio.wav", b"RIFF\x24\x00\x00\x00WAVEfmt "),
        ("content/doc.pdf", b"%PDF-1.7\n"),
        ("content/doc.docx", b"PK\x03\x04\x14\x00"),
        ("content/doc.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
        ("content/font.woff2", b"wOF2\x00\x01"),
        ("content/model.glb", b"glTF\x02\x00\x00\x00"),
        ("content/subtitles.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello"),
        ("content/data.csv", b"name,score\nAda,3\n"),
        ("content/notes.md", b"# Notes\n\nSome *text*."),
    ],
)
def test_real_file_signatures_are_accepted(name, data):
    package = samples.build_package(extra_files={name: data})
    assert validate_package(io.BytesIO(package), may_install_libraries=True)


def test_text_file_with_html_markup_is_refused():
    data = samples.build_package(
        extra_files={"content/notes.txt": b"  <html><script>alert(1)</script></html>"}
    )
    refused(data, "markup-in-text", "content/notes.txt")


def test_text_file_with_binary_data_is_refused():
    data = samples.build_package(extra_files={"content/data.csv": b"a,b\n\x00\x01\x02"})
    refused(data, "not-text", "content/data.csv")


def test_json_content_file_must_hold_json_data():
    data = samples.build_package(extra_files={"content/extra.json": b"GIF89a not json"})
    refused(data, "magic-mismatch", "content/extra.json")


# -- h5p.json and content.json ------------------------------------------------------------


def test_missing_h5p_json_is_refused():
    refused(samples.build_package(omit=["h5p.json"]), "missing-h5p-json", "package.h5p")


def test_h5p_json_that_is_not_json_is_refused():
    data = samples.zip_bytes(files_with(**{"h5p.json": b'{"title": "x",'}))
    refused(data, "h5p-json-syntax", "h5p.json")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"language": None}, "language"),
        ({"language": "en_GB!"}, "language"),
        ({"embedTypes": ["popup"]}, "embedTypes"),
        ({"embedTypes": None}, "embedTypes"),
        ({"mainLibrary": None}, "mainLibrary"),
        ({"mainLibrary": "H5P.Other"}, "mainLibrary"),
        ({"preloadedDependencies": None}, "preloadedDependencies"),
        ({"preloadedDependencies": [{"machineName": "H5P.CBQuickCheck"}]}, "preloadedDependencies"),
    ],
)
def test_h5p_json_schema(overrides, field):
    error = refused(samples.build_package(h5p_json=overrides), "h5p-json-invalid", "h5p.json")
    assert any(f"“{field}”" in message for message in error.messages)


def test_h5p_json_unknown_keys_are_ignored():
    data = samples.build_package(h5p_json={"somethingNew": {"a": 1}, "authors": []})
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_missing_content_json_is_refused():
    data = samples.build_package(omit=["content/content.json"])
    refused(data, "missing-content-json", "package.h5p")


def test_content_json_that_is_not_json_is_refused():
    data = samples.zip_bytes(files_with(**{"content/content.json": b"{nope"}))
    refused(data, "content-json-syntax", "content/content.json")


# -- library.json --------------------------------------------------------------------------


def test_library_folder_without_library_json_is_refused():
    data = samples.build_package(extra_files={"H5P.Stray-1.0/stray.js": b"alert(1)"})
    refused(data, "missing-library-json", "H5P.Stray-1.0")


def test_library_json_that_is_not_json_is_refused():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/library.json": b"[1, 2"})
    refused(data, "library-json-syntax", f"{LIBRARY_FOLDER}/library.json")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": None}, "title"),
        ({"machineName": "H5P Quick<Check>"}, "machineName"),
        ({"patchVersion": None}, "patchVersion"),
        ({"patchVersion": "1.2"}, "patchVersion"),
        ({"runnable": None}, "runnable"),
        ({"runnable": "yes"}, "runnable"),
        ({"preloadedJs": "cbquickcheck.js"}, "preloadedJs"),
        ({"dynamicDependencies": [{"machineName": "H5P.X", "majorVersion": 1}]}, "dynamic"),
    ],
)
def test_library_json_schema(overrides, field):
    data = samples.build_package(library_json_overrides=overrides)
    error = refused(data, "library-json-invalid", f"{LIBRARY_FOLDER}/library.json")
    assert any(field in message for message in error.messages)


def test_library_folder_name_must_match_machine_name():
    files = samples.package_files()
    renamed = {name.replace(LIBRARY_FOLDER, "H5P.Other-1.0"): data for name, data in files.items()}
    refused(samples.zip_bytes(renamed), "library-folder-name", "H5P.Other-1.0/library.json")


def test_library_folder_may_be_named_without_version():
    files = samples.package_files()
    renamed = {
        name.replace(LIBRARY_FOLDER, "H5P.CBQuickCheck"): data for name, data in files.items()
    }
    assert validate_package(io.BytesIO(samples.zip_bytes(renamed)), may_install_libraries=True)


def test_preloaded_files_must_exist():
    data = samples.build_package(omit=[f"{LIBRARY_FOLDER}/cbquickcheck.js"])
    error = refused(data, "missing-preloaded-file", f"{LIBRARY_FOLDER}/library.json")
    assert "cbquickcheck.js" in error.messages[0]


def test_language_file_names_follow_h5p_rule():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/language/XX!.json": b"{}"})
    refused(data, "language-file-name", f"{LIBRARY_FOLDER}/language/XX!.json")


def test_language_files_must_parse():
    data = samples.build_package(extra_files={f"{LIBRARY_FOLDER}/language/pt-br.json": b"{"})
    refused(data, "language-file-syntax", f"{LIBRARY_FOLDER}/language/pt-br.json")


def test_valid_language_files_are_accepted():
    data = samples.build_package(
        extra_files={f"{LIBRARY_FOLDER}/language/pt-br.json": b'{"semantics": []}'}
    )
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_core_api_newer_than_1_28_is_refused():
    data = samples.build_package(
        library_json_overrides={"coreApi": {"majorVersion": 1, "minorVersion": 29}}
    )
    error = refused(data, "core-api", f"{LIBRARY_FOLDER}/library.json")
    assert "1.29" in error.messages[0]


def test_core_api_1_28_is_accepted():
    data = samples.build_package(
        library_json_overrides={"coreApi": {"majorVersion": "1", "minorVersion": "28"}}
    )
    assert validate_package(io.BytesIO(data), may_install_libraries=True)


def test_same_library_twice_is_refused():
    files = samples.package_files()
    files.update(
        {
            name.replace(LIBRARY_FOLDER, "H5P.CBQuickCheck"): data
            for name, data in samples.package_files().items()
            if name.startswith(LIBRARY_FOLDER)
        }
    )
    refused(samples.zip_bytes(files), "duplicate-library", LIBRARY_FOLDER)


# -- dependency closure ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["preloadedDependencies", "dynamicDependencies", "editorDependencies"]
)
def test_library_dependencies_must_be_in_package_or_installed(kind):
    missing = {"machineName": "H5P.JoubelUI", "majorVersion": 1, "minorVersion": 3}
    data = samples.build_package(library_json_overrides={kind: [missing]})
    error = refused(data, "missing-dependency", f"{LIBRARY_FOLDER}/library.json")
    assert "H5P.JoubelUI 1.3" in error.messages[0]


def test_h5p_json_dependencies_must_be_in_package_or_installed():
    dependencies = [
        {"machineName": "H5P.CBQuickCheck", "majorVersion": "1", "minorVersion": "0"},
        {"machineName": "FontAwesome", "majorVersion": "4", "minorVersion": "5"},
    ]
    data = samples.build_package(h5p_json={"preloadedDependencies": dependencies})
    error = refused(data, "missing-dependency", "h5p.json")
    assert "FontAwesome 4.5" in error.messages[0]


def test_dependency_on_an_installed_library_is_satisfied(h5p_upload):
    import_h5p(h5p_upload(), user=None, allow_libraries=True)
    # A package that uses the installed library without shipping it.
    data = samples.build_package(
        omit=[name for name in samples.package_files() if "CBQuick" in name]
    )
    version = import_h5p(h5p_upload(data=data), user=None)
    assert [str(library) for library in version.libraries.all()] == ["H5P.CBQuickCheck 1.0.0"]


def test_several_problems_are_reported_together():
    data = samples.build_package(
        extra_files={"content/a.exe": b"MZ", "content/README": b"x"},
        h5p_json={"language": "??"},
    )
    with pytest.raises(H5PValidationError) as caught:
        validate_package(io.BytesIO(data), may_install_libraries=True)
    assert set(caught.value.codes) == {"extension-not-allowed", "no-extension"}
    assert json.dumps(caught.value.messages)  # plain, serialisable sentences


# -- robustness: damaged packages are refused, never crash ------------------------------------


def test_randomly_damaged_archives_are_refused_never_crash():
    rng = random.Random(2026)
    valid = samples.build_package(extra_files={"content/photo.png": PNG, "content/a.txt": b"a"})
    for _ in range(400):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(H5PValidationError):
            validate_package(io.BytesIO(bytes(data)), may_install_libraries=True)


def test_randomly_malformed_manifests_are_refused_never_crash():
    rng = random.Random(2027)
    values = [None, 1, -1, "x", "1", [], {}, [1], [{"machineName": 5}], {"a": 1}, True, 1.5]
    targets = ["h5p.json", "content/content.json", f"{LIBRARY_FOLDER}/library.json"]
    for _ in range(300):
        files = samples.package_files()
        target = rng.choice(targets)
        document = json.loads(files[target])
        key = rng.choice([*document, "coreApi", "preloadedJs", "dynamicDependencies"])
        document[key] = rng.choice(values)
        files[target] = json.dumps(document if rng.random() > 0.1 else rng.choice(values))
        with contextlib.suppress(H5PValidationError):
            validate_package(io.BytesIO(samples.zip_bytes(files)), may_install_libraries=True)
