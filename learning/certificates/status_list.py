"""Revocation of credentials, published as W3C Bitstring Status Lists.

Each certificate's place is derived from its primary key, so it never changes and needs no
allocation: list ``(pk - 1) // LIST_SIZE``, index ``(pk - 1) % LIST_SIZE``. A list holds
131,072 entries (16 KB, the minimum the specification sets for herd privacy). An index is
clear only while an unrevoked certificate holds it: revoked and deleted certificates, and
places not issued yet, read as revoked, so no credential verifies without a live
certificate behind it. The list is built from the database on each request (one indexed
query) and signed like the credentials.
"""

import base64
import gzip

from django.urls import reverse
from django.utils import timezone

from learning.certificates import keys
from learning.models import Certificate

LIST_SIZE = 131_072
STATUS_PURPOSE = "revocation"


def position(certificate):
    """(list number, index in that list) of ``certificate``."""
    return divmod(certificate.pk - 1, LIST_SIZE)


def list_url(number):
    return keys.site_url() + reverse("learning:credential_status_list", args=[number])


def status_entry(certificate):
    """The ``credentialStatus`` of the certificate's credential."""
    number, index = position(certificate)
    url = list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def bitstring(number):
    """The list's bits, index 0 the most significant bit of the first byte."""
    bits = bytearray(b"\xff" * (LIST_SIZE // 8))
    first = number * LIST_SIZE + 1
    valid = Certificate.objects.filter(
        pk__gte=first, pk__lt=first + LIST_SIZE, revoked_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in valid.iterator():
        index = pk - first
        bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xFF
    return bytes(bits)


def encode(bits):
    """GZIP-compressed, base64url without padding, with the multibase prefix ``u``."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_credential(number):
    url = list_url(number)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode(bitstring(number)),
        },
    }
