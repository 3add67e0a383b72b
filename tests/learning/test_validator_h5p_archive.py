"""Archive rules of the H5P package validator (names, sizes, allowlists, file bytes),
each with its own crafted archive.

Each refused package goes through the real import service as the trusted command line
would (``allow_libraries=True``), and the test checks the rule named in the error, the
file named in the message, and that neither storage nor the database changed.
"""

import contextlib
import io
import random
import stat
import zipfile

import pytest
from django.test import override_settings

from learning.h5p import samples
from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p
from learning.h5p.validator import validate_package
from tests.fixtures_h5p_import import (
    LIBRARY_FOLDER,
    PNG,
    patch_zip,
    raw_entries,
    refused,
    stored_h5p_files,
)

pytestmark = pytest.mark.django_db


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
