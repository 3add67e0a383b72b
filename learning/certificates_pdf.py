"""Certificates as PDF: fpdf2 with HarfBuzz shaping, so names in any script (Arabic
joined and right-to-left, Chinese, Latin...) print correctly, plus a QR code of the
public verification URL."""

import io
import unicodedata
from functools import lru_cache
from importlib import resources

import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from learning.timezones import language_for_user, zone_for_user

SANS, ARABIC, CJK = "noto-sans", "noto-sans-arabic", "noto-sans-cjk"


@lru_cache(maxsize=1)
def font_files():
    """Paths of the Noto fonts shipped by the fontpkg/cvttf PyPI packages."""
    return {
        SANS: resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf",
        ARABIC: resources.files("fontpkg_noto_sans_arabic")
        / "files"
        / "NotoSansArabic[wdth,wght].ttf",
        CJK: resources.files("cvttf_NotoSansCJK_Regular") / "NotoSansCJKtc-Regular.otf",
    }


RTL_BIDI_CLASSES = {"R", "AL"}


CJK_NAME_PREFIXES = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC")


def _char_font(char):
    if unicodedata.bidirectional(char) in RTL_BIDI_CLASSES:
        return ARABIC
    if ord(char) > 0x2E7F and unicodedata.name(char, "").startswith(CJK_NAME_PREFIXES):
        return CJK
    return SANS


def _script_font(text):
    """The font and direction for a run of text: Arabic script right-to-left, CJK ideographs
    and kana/hangul with the CJK font, everything else with Noto Sans."""
    fonts = {_char_font(char) for char in text}
    if ARABIC in fonts:
        return ARABIC, "rtl"
    if CJK in fonts:
        return CJK, "ltr"
    return SANS, "ltr"


class CertificatePDF(FPDF):
    """A certificate page. Only the fonts the texts need are loaded: parsing the CJK font
    alone takes most of a second."""

    def __init__(self, texts):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)
        needed = {SANS} | {_char_font(char) for text in texts for char in text}
        self.families = [family for family in (SANS, ARABIC, CJK) if family in needed]
        for family in self.families:
            self.add_font(family, fname=str(font_files()[family]))

    def text_block(self, text, *, size, height, color=(27, 31, 35), width=0, align="C"):
        """A paragraph in the font and direction its script needs; the other fonts stand by
        for characters of other scripts."""
        family, direction = _script_font(text)
        others = [name for name in self.families if name != family]
        self.set_font(family, size=size)
        self.set_fallback_fonts(others, exact_match=False)
        self.set_text_shaping(use_shaping_engine=True, direction=direction)
        self.set_text_color(*color)
        self.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def verification_url(certificate):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + certificate.get_verification_path()


def render_certificate(certificate):
    """The certificate as PDF bytes, worded in the recipient's language."""
    user = certificate.user
    with translation.override(language_for_user(user)):
        achieved = timezone.localtime(certificate.achieved_at, zone_for_user(user))
        url = verification_url(certificate)
        text = {
            "heading": _("Certificate"),
            "kind": str(certificate.get_kind_display()),
            "certifies": _("This certifies that"),
            "name": certificate.recipient_name,
            "completed": _("has successfully completed"),
            "title": certificate.title,
            "date": formats.date_format(achieved, "DATE_FORMAT"),
            "issuer": _("Issued by %(issuer)s") % {"issuer": certificate.issuer},
            "verify": _("Verify this certificate at:"),
            "url": url,
            "code": _("Code: %(code)s") % {"code": certificate.code},
        }
    pdf = CertificatePDF(text.values())
    pdf.set_title(f"{certificate.title} – {certificate.recipient_name}")
    pdf.set_author(certificate.issuer)
    pdf.set_creator(settings.WAGTAIL_SITE_NAME)
    pdf.add_page()
    pdf.set_draw_color(11, 110, 79)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    grey = (88, 96, 105)
    pdf.set_y(28)
    pdf.text_block(text["heading"], size=30, height=14, color=(7, 77, 55))
    pdf.text_block(text["kind"], size=14, height=8, color=grey)
    pdf.ln(6)
    pdf.text_block(text["certifies"], size=13, height=8)
    pdf.text_block(text["name"], size=28, height=14)
    pdf.ln(2)
    pdf.text_block(text["completed"], size=13, height=8)
    pdf.text_block(text["title"], size=20, height=11)
    pdf.ln(4)
    pdf.text_block(text["date"], size=12, height=7)
    pdf.text_block(text["issuer"], size=12, height=7)

    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    size = 32
    pdf.image(qr, x=pdf.w - 20 - size, y=pdf.h - 20 - size, w=size, h=size)
    pdf.set_xy(22, pdf.h - 40)
    for key in ("verify", "url", "code"):
        pdf.set_x(22)
        pdf.text_block(text[key], size=9, height=5, color=grey, width=150)
    return bytes(pdf.output())
