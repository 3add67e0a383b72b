"""Certificate PDFs are generated once per certificate, language and design and kept in the
private storage; a change to anything printed (the design and its signatories, the name,
the learner's language or time zone, the layout's ``LAYOUT_VERSION``) gives a new
fingerprint, so the next download regenerates the file and removes the old one."""

import hashlib
import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from wagtail.models import Site

from learning.certificates.pdf import render_certificate, signatories_of
from learning.models import CertificateDesign, CertificateDesignOverride
from learning.storage import private_storage
from learning.timezones import language_for_user, zone_for_user

LAYOUT_VERSION = 1  # raise when the layout or wording changes in the code
FOLDER = "certificates"


def design_for_site(site=None):
    """The site's certificate design (an unsaved default when no site exists yet)."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CertificateDesign()
    return CertificateDesign.for_site(site)


@dataclass
class PrintedDesign:
    """What a certificate prints: the site's design with a course's or series' override
    (``CertificateDesignOverride``) laid over it, field by field."""

    organisation_name: str
    logo: object
    paper_size: str
    signatories: list
    pk: int | None = None


def design_for_certificate(certificate, site=None, *, designs=None):
    """The design a certificate is printed with: the nearest override on its source page
    or the page's ancestors (a session's series), over the site's design. ``designs``
    (from ``designs_for_site``) lets a page listing many certificates load them once."""
    site_design, overrides = designs if designs is not None else designs_for_site(site)
    if not overrides:
        return site_design
    path = getattr(getattr(certificate, "source", None), "path", None) or ""
    ancestors = [path[:length] for length in range(len(path), 0, -4)]
    override = next((overrides[p] for p in ancestors if p in overrides), None)
    if override is None:
        return site_design
    return PrintedDesign(
        organisation_name=override.organisation_name or site_design.organisation_name,
        logo=override.logo or site_design.logo,
        paper_size=site_design.paper_size,
        signatories=list(override.signatories.all()) or signatories_of(site_design),
        pk=override.pk,
    )


def designs_for_site(site=None):
    """The site's design and every course's or series' override by its page's tree path
    (a handful of rows), read once."""
    overrides = {
        override.page.path: override
        for override in CertificateDesignOverride.objects.select_related(
            "page", "logo"
        ).prefetch_related("signatories__signature")
    }
    return design_for_site(site), overrides


def _file_key(image):
    return [image.pk, image.file.name] if image is not None else None


def fingerprint(certificate, design, language):
    signatories = signatories_of(design)
    printed = {
        "layout": LAYOUT_VERSION,
        "language": language,
        "zone": str(zone_for_user(certificate.user)),
        "design": [
            design.organisation_name,
            design.paper_size,
            _file_key(design.logo),
            [[s.name, s.title, _file_key(s.signature)] for s in signatories],
        ],
        "certificate": [
            certificate.code,
            certificate.kind,
            certificate.recipient_name,
            certificate.title,
            certificate.issuer,
            certificate.achieved_at.isoformat(),
            certificate.minutes_attended,
            certificate.sessions_attended,
            certificate.sessions_total,
        ],
    }
    encoded = json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


def _folder(certificate):
    return f"{FOLDER}/{certificate.code}"


def certificate_pdf(certificate, *, site=None):
    """The certificate's PDF bytes in its learner's language: the stored file when one
    matches what would be printed now, else a new one (replacing the old)."""
    design = design_for_certificate(certificate, site)
    language = language_for_user(certificate.user)
    name = f"{_folder(certificate)}/{language}-{fingerprint(certificate, design, language)}.pdf"
    storage = private_storage()
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read()
    data = render_certificate(certificate, design=design, language=language)
    forget_pdfs(certificate, language=language)
    storage.save(name, ContentFile(data))
    return data


def stored_pdfs(certificate):
    storage = private_storage()
    try:
        _folders, files = storage.listdir(_folder(certificate))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(files)


def forget_pdfs(certificate, *, language=None):
    """Remove the stored PDFs of a certificate (of one language, when given)."""
    storage = private_storage()
    for file in stored_pdfs(certificate):
        if language is None or file.startswith(f"{language}-"):
            storage.delete(f"{_folder(certificate)}/{file}")
