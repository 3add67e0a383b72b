"""Designed certificates: the learner's language (text read back from the PDF in each of
the six languages), the Chinese variant, wording per kind, the organisation's name, logo
and signatories, A4 and US Letter, and the stored PDF regenerated when the design changes."""

import io
import unicodedata

import pytest
from django.core.files.images import ImageFile
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.models import Site

from learning.certificates import files
from learning.certificates.pdf import render_certificate, wording
from learning.factories import CertificateFactory, UserFactory
from learning.models import Certificate, CertificateDesign
from learning.storage import private_storage

pytestmark = pytest.mark.django_db


def _page(pdf_bytes):
    return PdfReader(io.BytesIO(pdf_bytes)).pages[0]


def _letters(pdf_bytes):
    raw = _page(pdf_bytes).extract_text()
    # Shaped Arabic glyphs without their own Unicode mapping come out as control
    # characters, and glyphs moved by shaping break lines mid-word: compare letters only.
    return "".join(ch for ch in raw if not ch.isspace() and unicodedata.category(ch) != "Cc")


def _squash(text):
    return "".join(text.split())


def _arabic_letters(text):
    # pypdf prints shaped Arabic glyphs it cannot map as stray ASCII: keep Arabic letters.
    return "".join(ch for ch in text if unicodedata.bidirectional(ch) == "AL" and ch.isalpha())


def _fonts(pdf_bytes):
    fonts = _page(pdf_bytes)["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}


def _image(title, colour, size=(400, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


@pytest.fixture
def design():
    design = CertificateDesign.for_site(Site.objects.get(is_default_site=True))
    design.organisation_name = "Secretariat of the Convention on Biological Diversity"
    design.save()
    return design


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Amina Diallo"),
        ("fr", "Amina Diallo"),
        ("es", "Lucía Fernández"),
        ("ar", "ليلى حسن"),
        ("zh-hans", "王芳"),
        ("ru", "Ольга Иванова"),
    ],
)
def test_certificate_is_worded_in_the_learners_language(language, name, design):
    user = UserFactory(profile__full_name=name, profile__preferred_language=language)
    certificate = CertificateFactory(user=user, recipient_name=name)
    pdf = render_certificate(certificate, design=design, language=language)
    with translation.override(language):
        heading, sentence = wording(certificate)
        certifies = _("This certifies that")
    if language != "en":
        with translation.override("en"):
            assert heading != wording(certificate)[0], "the catalogue translates it"
    text = _letters(pdf)
    for expected in (heading, certifies, sentence, name):
        if language == "ar":
            assert _arabic_letters(expected) in _arabic_letters(text)
        else:
            assert _squash(expected) in text
    assert (
        _page(pdf)["/Resources"]
        and PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == language
    )


def test_chinese_uses_the_simplified_face_for_zh_hans_and_traditional_for_zh_hant():
    certificate = CertificateFactory(recipient_name="王芳")
    assert "NotoSansSC" in _fonts(render_certificate(certificate, language="zh-hans"))
    assert "NotoSansCJKTCRegular" in _fonts(render_certificate(certificate, language="zh-hant"))


def test_arabic_certificate_is_shaped_right_to_left():
    user = UserFactory(profile__preferred_language="ar")
    pdf = render_certificate(CertificateFactory(user=user))
    assert "NotoSansArabic" in _fonts(pdf)


def test_wording_per_kind_states_minutes_and_sessions():
    webinar = CertificateFactory(kind=Certificate.Kind.WEBINAR, minutes_attended=90)
    series = CertificateFactory(kind=Certificate.Kind.SERIES, sessions_attended=4, sessions_total=6)
    course = CertificateFactory(kind=Certificate.Kind.COURSE)
    assert "attendedthewebinarfor90minutes" in _letters(render_certificate(webinar))
    assert "attended4ofthe6sessionsofthewebinarseries" in _letters(render_certificate(series))
    course_text = _letters(render_certificate(course))
    assert "hassuccessfullycompletedthecourse" in course_text
    assert "CertificateofcompletionThis" in course_text
    assert "Certificateofattendance" in _letters(render_certificate(webinar))
    # An attendance certificate never says "completed".
    assert "completed" not in _letters(render_certificate(webinar))
    with translation.override("ru"):
        assert "90 минут" in wording(webinar)[1]
        assert "4 из 6" in wording(series)[1]


def test_organisation_logo_and_signatories_are_printed(design):
    design.logo = _image("logo", "green")
    design.signatories.create(
        name="Astrid Schomaker", title="Executive Secretary", signature=_image("sig", "blue")
    )
    design.signatories.create(name="David Cooper", title="Deputy Executive Secretary")
    design.save()
    certificate = CertificateFactory(issuer="KM4B webinar series")
    pdf = render_certificate(certificate, design=design, language="en")
    text = _letters(pdf)
    assert "SecretariatoftheConventiononBiologicalDiversity" in text
    assert "AstridSchomakerExecutiveSecretary" in text
    assert "DavidCooperDeputyExecutiveSecretary" in text
    assert "IssuedbyKM4B" not in text  # the organisation is the issuer
    assert len(_page(pdf).images) == 3  # logo, one signature, QR code


def test_a4_and_us_letter(design):
    certificate = CertificateFactory()
    a4 = _page(render_certificate(certificate, design=design, language="en")).mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (842, 595)
    design.paper_size = CertificateDesign.PaperSize.LETTER
    design.save()
    letter = _page(render_certificate(certificate, design=design, language="en")).mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (792, 612)


def test_pdf_is_stored_once_and_regenerated_when_the_design_changes(design):
    certificate = CertificateFactory(user=UserFactory(profile__preferred_language="fr"))
    first = files.certificate_pdf(certificate)
    stored = files.stored_pdfs(certificate)
    assert len(stored) == 1 and stored[0].startswith("fr-")
    path = f"certificates/{certificate.code}/{stored[0]}"
    # The stored file is what is served: overwrite it and the next download returns it.
    private_storage().delete(path)
    private_storage().save(path, io.BytesIO(first + b"% stored\n"))
    assert files.certificate_pdf(certificate).endswith(b"% stored\n")

    design.signatories.create(name="Astrid Schomaker", title="Executive Secretary")
    design.save()
    regenerated = files.certificate_pdf(certificate)
    assert not regenerated.endswith(b"% stored\n")
    assert "AstridSchomaker" in _letters(regenerated)
    assert len(files.stored_pdfs(certificate)) == 1 and files.stored_pdfs(certificate) != stored

    certificate.recipient_name = "Amina Diallo-Traoré"
    certificate.save()
    assert "AminaDiallo-Traoré" in _letters(files.certificate_pdf(certificate))
