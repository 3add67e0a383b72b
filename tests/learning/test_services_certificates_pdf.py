"""Certificate PDFs: names in any script, verification URL and QR code."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from learning.certificates.pdf import render_certificate
from learning.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert len(reader.pages) == 1
    raw = reader.pages[0].extract_text()
    # pypdf emits the raw code of glyphs that have no Unicode mapping of their own (the
    # second glyph of a shaped Arabic pair, CID padding): drop those control characters.
    return "".join(ch for ch in raw if ch == "\n" or unicodedata.category(ch) != "Cc")


def _letters(text):
    # Glyphs that shaping moves vertically make pypdf start a new line mid-word; compare
    # the letters in their order, not the line breaks.
    return "".join(text.split())


def _images(pdf_bytes):
    page = PdfReader(io.BytesIO(pdf_bytes)).pages[0]
    return list(page.images)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("ليلى حسن", "إدارة المعرفة من أجل التنوع البيولوجي"),
        ("王芳", "生物多样性知识管理"),
        ("Amina Diallo", "Knowledge management for biodiversity"),
    ],
)
def test_pdf_prints_name_and_title_in_their_script(name, title):
    user = UserFactory(profile__full_name=name)
    certificate = CertificateFactory(user=user, recipient_name=name, title=title)
    pdf = render_certificate(certificate)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert _letters(name) in _letters(text)
    assert _letters(title) in _letters(text)
    # The printed address is the form where the printed code is typed; the QR code holds
    # the certificate's own verification address.
    assert "http://testserver/certificates/verify/\n" in text
    assert certificate.code in text
    assert len(_images(pdf)) == 1  # the QR code


def test_arabic_name_is_shaped_into_contextual_forms():
    name = "ليلى حسن"  # LAM starts the word (initial form) and follows YEH (medial form)
    user = UserFactory(profile__full_name=name)
    pdf = render_certificate(CertificateFactory(user=user, recipient_name=name))
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    arabic = [
        font.get_object()
        for font in fonts.values()
        if "Arabic" in str(font.get_object()["/BaseFont"])
    ]
    assert arabic, "the Arabic font is embedded"
    cmap = arabic[0]["/ToUnicode"].get_object().get_data().decode()
    # Unshaped text would draw one glyph per letter; shaped text draws LAM with two
    # different glyphs (initial and medial forms), both mapped back to U+0644.
    assert len(re.findall(r"<[0-9A-F]{4}> <0644>", cmap)) >= 2


def test_only_the_fonts_the_text_needs_are_embedded():
    latin = render_certificate(CertificateFactory(recipient_name="Amina Diallo"))
    chinese = render_certificate(CertificateFactory(recipient_name="王芳"))

    def fonts(pdf):
        resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
        return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in resources.values()}

    assert fonts(latin) == {"NotoSans"}
    assert "NotoSansSC" in fonts(chinese)
