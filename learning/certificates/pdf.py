"""Certificates as PDF: fpdf2 with HarfBuzz shaping, so text in any script (Arabic joined
and right-to-left, Chinese in the Simplified or Traditional forms the learner's language
asks for, Latin, Cyrillic...) prints correctly; the organisation's logo, name and
signatories from the site's ``CertificateDesign``; wording per kind in the learner's
language; A4 or US Letter; the verification address, the code and a QR code."""

import io
import unicodedata
from functools import lru_cache
from importlib import resources

import pylopdf_fonts_zh_cn
import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from learning.models import Certificate, CertificateDesign
from learning.timezones import language_for_user, zone_for_user

SANS, ARABIC, CJK_SC, CJK_TC = "noto-sans", "noto-sans-arabic", "noto-sans-sc", "noto-sans-tc"
CJK = CJK_SC  # the default CJK face: Simplified, as the UN's Chinese


@lru_cache(maxsize=1)
def font_files():
    """Paths of the Noto fonts shipped by PyPI packages (all under the SIL Open Font
    License): fontpkg-noto-sans, fontpkg-noto-sans-arabic, pylopdf-fonts-zh-cn (Noto Sans
    SC) and cvttf-notosanscjk-regular (Noto Sans CJK TC)."""
    return {
        SANS: resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf",
        ARABIC: resources.files("fontpkg_noto_sans_arabic")
        / "files"
        / "NotoSansArabic[wdth,wght].ttf",
        CJK_SC: pylopdf_fonts_zh_cn.sans_path(),
        CJK_TC: resources.files("cvttf_NotoSansCJK_Regular") / "NotoSansCJKtc-Regular.otf",
    }


def cjk_font_for(language):
    """Traditional forms for a Traditional Chinese language, Simplified otherwise."""
    return CJK_TC if language.lower() in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"} else CJK_SC


RTL_BIDI_CLASSES = {"R", "AL"}
CJK_NAME_PREFIXES = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC")


def _script(char):
    if unicodedata.bidirectional(char) in RTL_BIDI_CLASSES:
        return ARABIC
    if ord(char) > 0x2E7F and unicodedata.name(char, "").startswith(CJK_NAME_PREFIXES):
        return CJK
    return SANS


class MultiScriptPDF(FPDF):
    """A PDF that prints ``texts`` in whatever scripts they use. Only the fonts the texts
    need are loaded: parsing a CJK font alone takes most of a second."""

    def __init__(self, texts, *, orientation="portrait", paper="A4", cjk=CJK_SC):
        super().__init__(orientation=orientation, unit="mm", format=paper)
        self.cjk = cjk
        scripts = {SANS} | {_script(char) for text in texts for char in text}
        self.families = [
            family
            for family, script in ((SANS, SANS), (ARABIC, ARABIC), (cjk, CJK))
            if script in scripts
        ]
        for family in self.families:
            self.add_font(family, fname=str(font_files()[family]))

    def _font_and_direction(self, text):
        scripts = {_script(char) for char in text}
        if ARABIC in scripts:
            return ARABIC, "rtl"
        if CJK in scripts:
            return self.cjk, "ltr"
        return SANS, "ltr"

    def text_block(self, text, *, size, height, color=(27, 31, 35), width=0, align="C"):
        """A paragraph in the font and direction its script needs; the other fonts stand by
        for characters of other scripts."""
        family, direction = self._font_and_direction(text)
        self.set_font(family, size=size)
        self.set_fallback_fonts([f for f in self.families if f != family], exact_match=False)
        self.set_text_shaping(use_shaping_engine=True, direction=direction)
        self.set_text_color(*color)
        self.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


class CertificatePDF(MultiScriptPDF):
    """A certificate page: landscape, one page, nothing breaks onto another."""

    def __init__(self, texts, *, paper="A4", cjk=CJK_SC):
        super().__init__(texts, orientation="landscape", paper=paper, cjk=cjk)
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)


def site_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def verification_url(certificate):
    return site_url() + certificate.get_verification_path()


def wording(certificate):
    """The heading and the sentence after the name, by kind, in the active language."""
    kind = certificate.kind
    if kind == Certificate.Kind.COURSE:
        return _("Certificate of completion"), _("has successfully completed the course")
    if kind == Certificate.Kind.WEBINAR:
        minutes = certificate.minutes_attended
        if minutes:
            sentence = ngettext(
                "attended the webinar for %(minutes)s minute",
                "attended the webinar for %(minutes)s minutes",
                minutes,
            ) % {"minutes": minutes}
        else:
            sentence = _("attended the webinar")
        return _("Certificate of attendance"), sentence
    if kind == Certificate.Kind.SERIES:
        attended, total = certificate.sessions_attended, certificate.sessions_total
        if attended and total:
            sentence = ngettext(
                "attended %(attended)s of the %(total)s session of the webinar series",
                "attended %(attended)s of the %(total)s sessions of the webinar series",
                total,
            ) % {"attended": attended, "total": total}
        else:
            sentence = _("attended the webinar series")
        return _("Certificate of attendance"), sentence
    return _("Certificate of participation"), _("participated in the workshop")


def _image_bytes(image):
    """An uploaded Wagtail image as PNG bytes fpdf2 can embed, or None."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-800x400|format-png")
        with rendition.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except (OSError, ValueError):  # a missing or unreadable file must not stop the PDF
        return None


def signatories_of(design):
    """A design's signatories: a saved design's rows, or the list of a resolved design
    (``learning.certificates.files.PrintedDesign``)."""
    if isinstance(design.signatories, list):
        return design.signatories
    return list(design.signatories.all()) if design.pk else []


def render_certificate(certificate, *, design=None, language=None):
    """The certificate as PDF bytes, worded in ``language`` (default: the learner's) with
    ``design`` (default: none, the issuer named on the certificate). Downloads go through
    ``learning.certificates.files.certificate_pdf``, which stores the result."""
    user = certificate.user
    design = design if design is not None else CertificateDesign()
    language = language or language_for_user(user)
    signatories = signatories_of(design)
    with translation.override(language):
        achieved = timezone.localtime(certificate.achieved_at, zone_for_user(user))
        heading, sentence = wording(certificate)
        text = {
            "organisation": design.organisation_name,
            "heading": heading,
            "certifies": _("This certifies that"),
            "name": certificate.recipient_name,
            "sentence": sentence,
            "title": certificate.title,
            "date": formats.date_format(achieved, "DATE_FORMAT"),
            "issuer": ""
            if design.organisation_name
            else _("Issued by %(issuer)s") % {"issuer": certificate.issuer},
            "verify": _("Verify this certificate at:"),
            "url": site_url() + "/certificates/verify/",
            "code": _("Code: %(code)s") % {"code": certificate.code},
        }
    names = [part for s in signatories for part in (s.name, s.title)]
    paper = "Letter" if design.paper_size == "letter" else "A4"
    pdf = CertificatePDF([*text.values(), *names], paper=paper, cjk=cjk_font_for(language))
    pdf.set_title(f"{certificate.title} – {certificate.recipient_name}")
    pdf.set_author(design.organisation_name or certificate.issuer)
    pdf.set_creator(settings.WAGTAIL_SITE_NAME)
    pdf.set_lang(language)
    pdf.add_page()
    pdf.set_draw_color(11, 110, 79)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    grey, green = (88, 96, 105), (7, 77, 55)
    pdf.set_y(18)
    logo = _image_bytes(design.logo)
    if logo is not None:
        pdf.image(logo, x=(pdf.w - 60) / 2, y=18, w=60, h=16, keep_aspect_ratio=True)
        pdf.set_y(36)
    if text["organisation"]:
        pdf.text_block(text["organisation"], size=13, height=7, color=grey)
    pdf.ln(2)
    pdf.text_block(text["heading"], size=26, height=12, color=green)
    pdf.ln(3)
    pdf.text_block(text["certifies"], size=12, height=7)
    pdf.text_block(text["name"], size=26, height=13)
    pdf.text_block(text["sentence"], size=12, height=7)
    pdf.text_block(text["title"], size=18, height=9)
    pdf.ln(1)
    pdf.text_block(text["date"], size=11, height=6)
    if text["issuer"]:
        pdf.text_block(text["issuer"], size=11, height=6)

    _signatories(pdf, signatories)

    qr = io.BytesIO()
    segno.make(verification_url(certificate), error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    size = 28
    pdf.image(qr, x=pdf.w - 18 - size, y=pdf.h - 18 - size, w=size, h=size)
    pdf.set_y(pdf.h - 33)
    for key in ("verify", "url", "code"):
        pdf.set_x(20)
        pdf.text_block(text[key], size=9, height=4.5, color=grey, width=110, align="L")
    return bytes(pdf.output())


def _signatories(pdf, signatories):
    """Up to three signatories side by side: signature, a line, the name and title."""
    if not signatories:
        return
    width = 62
    gap = 12
    total = len(signatories) * width + (len(signatories) - 1) * gap
    top = pdf.h - 66
    for index, signatory in enumerate(signatories):
        x = (pdf.w - total) / 2 + index * (width + gap)
        signature = _image_bytes(signatory.signature)
        if signature is not None:
            pdf.image(signature, x=x + 6, y=top, w=width - 12, h=14, keep_aspect_ratio=True)
        pdf.set_draw_color(88, 96, 105)
        pdf.line(x, top + 15, x + width, top + 15)
        pdf.set_xy(x, top + 16)
        pdf.text_block(signatory.name, size=10, height=5, width=width)
        pdf.set_xy(x, top + 21)
        pdf.text_block(signatory.title, size=9, height=4.5, width=width, color=(88, 96, 105))
