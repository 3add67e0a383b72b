"""A Chinese name on a certificate is drawn in the Simplified Chinese face for a learner who
reads Simplified Chinese (zh-hans): the same characters have different forms in the
Japanese and Traditional Chinese faces (e.g. 骨, 述, 直), and a certificate is a document the
learner shows to others."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from learning.certificates.pdf import render_certificate
from learning.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "王芳"
TITLE = "生物多样性知识管理"


def embedded_fonts(pdf_bytes):
    """{base font name without the subset tag: the embedded font program's bytes}."""
    fonts = {}
    resources = PdfReader(io.BytesIO(pdf_bytes)).pages[0]["/Resources"]["/Font"]
    for font in resources.values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program = next(descriptor[key] for key in ("/FontFile2", "/FontFile3") if key in descriptor)
        fonts[str(font["/BaseFont"]).split("+")[-1]] = program.get_object().get_data()
    return fonts


def chinese_faces(fonts):
    return {name for name in fonts if "CJK" in name or name.startswith("NotoSansSC")}


def test_a_zh_hans_learner_downloads_a_certificate_in_the_simplified_chinese_face(client):
    user = UserFactory(profile__full_name=NAME, profile__preferred_language="zh-hans")
    certificate = CertificateFactory(user=user, recipient_name=NAME, title=TITLE)
    client.force_login(user)

    response = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))

    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    fonts = embedded_fonts(pdf)
    print("fonts embedded for a zh-hans learner:", sorted(fonts))
    assert chinese_faces(fonts) == {"NotoSansSC"}
    # The embedded program itself is Noto Sans SC (its CFF name), not a JP/TC/KR face
    # renamed: the variant is what the learner sees.
    assert b"Noto Sans SC" in fonts["NotoSansSC"]
    assert not any(variant in name for name in fonts for variant in ("JP", "TC", "KR", "HK"))


def test_the_same_certificate_for_a_traditional_chinese_reader_uses_the_tc_face():
    # The check above can fail: the face follows the reader's language.
    user = UserFactory(profile__full_name=NAME, profile__preferred_language="zh-hans")
    certificate = CertificateFactory(user=user, recipient_name=NAME, title=TITLE)
    simplified = embedded_fonts(render_certificate(certificate))
    traditional = embedded_fonts(render_certificate(certificate, language="zh-hant"))
    assert chinese_faces(simplified) == {"NotoSansSC"}
    assert chinese_faces(traditional) == {"NotoSansCJKTCRegular"}


def test_a_chinese_name_on_an_arabic_certificate_is_in_the_simplified_face():
    user = UserFactory(profile__full_name=NAME, profile__preferred_language="ar")
    fonts = embedded_fonts(render_certificate(CertificateFactory(user=user, recipient_name=NAME)))
    assert any("Arabic" in name for name in fonts)  # the Arabic wording
    assert chinese_faces(fonts) == {"NotoSansSC"}
