"""Certificates as Open Badges 3.0 credentials: an ``OpenBadgeCredential`` (W3C Verifiable
Credentials Data Model 2.0) describing the achievement in the learner's language, secured
as a VC-JOSE compact JWS (``alg`` EdDSA, ``typ`` vc+jwt, ``cty`` vc) with the issuer's
Ed25519 key (``learning.certificates.keys``), its revocation published in a Bitstring
Status List (``learning.certificates.status_list``); the same credential baked into a PNG
badge, and the learner's "Add to LinkedIn profile" address.

Credentials are built from the certificate as it is now, on each download: a corrected
name is in the next download, and a revoked certificate is not downloadable (its bit in the
status list says so to anyone holding an earlier copy)."""

import io
import json
import uuid
from datetime import UTC
from urllib.parse import urlencode

import segno
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from learning.certificates import keys
from learning.certificates.pdf import verification_url
from learning.certificates.status_list import status_entry
from learning.models import Certificate
from learning.timezones import language_for_user, zone_for_user

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MEDIA_TYPE = "application/vc+jwt"
# OB 3.0 "Baking": one iTXt chunk with this keyword holds the credential (here the JWS).
PNG_KEYWORD = "openbadgecredential"


def timestamp(value):
    """An XML Schema dateTimeStamp in UTC, to the second, as VC 2.0 examples write it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(payload, *, typ="vc+jwt"):
    """``payload`` as a compact JWS signed with the current key (EdDSA over Ed25519)."""
    key = keys.signing_key()
    header = {"alg": "EdDSA", "typ": typ, "cty": "vc", "kid": key.kid}
    signing_input = ".".join(
        keys.b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
        for part in (header, payload)
    )
    signature = key.private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{keys.b64url(signature)}"


def achievement_text(certificate):
    """The achievement's description and criteria in the active language."""
    title = certificate.title
    kind = certificate.kind
    if kind == Certificate.Kind.COURSE:
        return (
            _("Completion of the course “%(title)s”.") % {"title": title},
            _("Complete every required lesson of the course “%(title)s”.") % {"title": title},
        )
    if kind == Certificate.Kind.WEBINAR:
        return (
            _("Attendance at the webinar “%(title)s”.") % {"title": title},
            _("Attend the webinar “%(title)s” for the time its organisers require.")
            % {"title": title},
        )
    if kind == Certificate.Kind.SERIES:
        return (
            _("Attendance at the webinar series “%(title)s”.") % {"title": title},
            _(
                "Attend the number of sessions of the webinar series “%(title)s” "
                "its organisers require."
            )
            % {"title": title},
        )
    return (
        _("Participation in the workshop “%(title)s”.") % {"title": title},
        _("Take part in the workshop “%(title)s”.") % {"title": title},
    )


def achievement_id(certificate):
    """One id per achievement (the same course for every learner), stable across issues."""
    source = (
        f"{keys.site_url()}/achievements/{certificate.kind}/"
        f"{certificate.source_content_type_id}/{certificate.source_object_id}"
    )
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, source)}"


def organisation_name(certificate, design):
    return design.organisation_name or certificate.issuer


def open_badge_credential(certificate, *, design):
    """The unsigned OpenBadgeCredential of ``certificate`` in its learner's language."""
    site = keys.site_url()
    language = language_for_user(certificate.user)
    with translation.override(language):
        description, criteria = achievement_text(certificate)
    achievement = {
        "id": achievement_id(certificate),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.title,
        "description": description,
        "criteria": {"narrative": criteria},
        "inLanguage": language,
    }
    if certificate.source_url:
        achievement["criteria"]["id"] = site + certificate.source_url
    return {
        "@context": CONTEXT,
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title,
        "issuer": {
            "id": keys.issuer_did(),
            "type": ["Profile"],
            "name": organisation_name(certificate, design),
            "url": site + "/",
        },
        "validFrom": timestamp(certificate.issued_at),
        "awardedDate": timestamp(certificate.achieved_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The learner has no DID; the name printed on the certificate identifies them,
            # as on the public verification page (never the e-mail address).
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.recipient_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": achievement,
        },
        "credentialStatus": status_entry(certificate),
    }


def signed_credential(certificate, *, design):
    return sign(open_badge_credential(certificate, design=design))


def baked_badge(certificate, credential):
    """A PNG badge (a ring around the QR code of the verification page) with the signed
    ``credential`` baked in as the OB 3.0 baking specification asks: an uncompressed
    iTXt chunk with the keyword ``openbadgecredential``."""
    size, ring = 600, 36
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(11, 110, 79, 255))
    draw.ellipse((ring, ring, size - 1 - ring, size - 1 - ring), fill=(255, 255, 255, 255))
    qr_buffer = io.BytesIO()
    segno.make(verification_url(certificate), error="m").save(
        qr_buffer, kind="png", scale=8, border=1
    )
    qr_buffer.seek(0)
    qr = Image.open(qr_buffer).convert("RGBA")
    side = 330
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    image.paste(qr, ((size - side) // 2, (size - side) // 2))
    info = PngInfo()
    info.add_itxt(PNG_KEYWORD, credential, zip=False)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=info, optimize=True)
    return output.getvalue()


def linkedin_add_url(certificate, *, design):
    """LinkedIn's "Add licence or certification" form, filled in for this certificate."""
    achieved = timezone.localtime(certificate.achieved_at, zone_for_user(certificate.user))
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.title,
        "organizationName": organisation_name(certificate, design),
        "issueYear": achieved.year,
        "issueMonth": achieved.month,
        "certUrl": verification_url(certificate),
        "certId": certificate.code,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)
