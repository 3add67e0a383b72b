import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from learning.workshops.file_types import validate_material_file
from tests import ole2
from tests.fixtures_workshops import make_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 32
MP3 = b"ID3\x04\x00" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"\x00" * 32


def _zip(entries, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
PPTX = _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
ODP = _zip(
    {"content.xml": "<office/>"},
    first=("mimetype", "application/vnd.oasis.opendocument.presentation"),
)


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("handout.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("recording.mp4", MP4, "video/mp4"),
        ("recording.webm", WEBM, "video/webm"),
        ("interview.mp3", MP3, "audio/mpeg"),
        (
            "report.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "deck.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("deck.odp", ODP, "application/vnd.oasis.opendocument.presentation"),
        ("old.doc", ole2.word_document(), "application/msword"),
        ("budget.xls", ole2.excel_workbook(), "application/vnd.ms-excel"),
    ],
)
def test_accepted_types(name, data, content_type):
    assert validate_material_file(make_upload(name, data)).content_type == content_type


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("archive.zip", _zip({"a.pdf": "x"}), ".zip files are not accepted"),
        ("fake.docx", _zip({"a.pdf": "x"}), "is a ZIP archive, not a Word document"),
        ("fake.docx", _zip({"[Content_Types].xml": "<Types/>", "xl/wb.xml": "x"}), "ZIP archive"),
        ("fake.odt", _zip({"content.xml": "x"}), "is a ZIP archive"),
        ("deck.odt", ODP, "of another kind than its .odt name says"),
        ("broken.docx", b"PK\x03\x04garbage", "is damaged"),
        (
            "macro.docx",
            _zip({"[Content_Types].xml": "<T/>", "word/a.xml": "x", "word/vbaProject.bin": "x"}),
            "contains macros",
        ),
        ("macro.doc", ole2.word_document(with_macros=True), "contains macros"),
        ("macro.xls", ole2.excel_workbook(with_macros=True), "contains macros"),
        ("header-only.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "is damaged"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "its content is not a PDF"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "its content is not a PNG"),
        ("photo.jpg", PNG, "its content is not a JPEG"),
        ("tool.exe", b"MZ\x90\x00", ".exe files are not accepted"),
        ("drawing.svg", b"<svg/>", ".svg files are not accepted"),
        ("page.html", b"<html/>", ".html files are not accepted"),
        ("README", b"hello", "has no file extension"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_refused_files_name_the_file_and_the_problem(name, data, message):
    with pytest.raises(ValidationError) as error:
        validate_material_file(make_upload(name, data))
    text = error.value.messages[0]
    assert name in text
    assert message in text


@override_settings(LEARNING_MATERIAL_MAX_FILE_SIZE=100)
def test_size_limit_is_a_setting():
    with pytest.raises(ValidationError, match="the largest file accepted is 100"):
        validate_material_file(make_upload("big.pdf", PDF + b"\x00" * 100))
    assert validate_material_file(make_upload("small.pdf", PDF))


def test_validation_rewinds_the_file():
    upload = make_upload("deck.pptx", PPTX)
    validate_material_file(upload)
    assert upload.read() == PPTX


def test_a_large_legacy_upload_is_checked_from_its_temporary_file():
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive on disk: oletools reads them by path.
    from django.core.files.uploadedfile import TemporaryUploadedFile

    for data, refused in ((ole2.word_document(), False), (ole2.word_document(True), True)):
        upload = TemporaryUploadedFile("minutes.doc", "application/msword", len(data), None)
        upload.write(data)
        upload.seek(0)
        try:
            if refused:
                with pytest.raises(ValidationError, match="contains macros"):
                    validate_material_file(upload)
            else:
                assert validate_material_file(upload).description == "Word"
        finally:
            upload.close()
