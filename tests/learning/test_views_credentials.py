"""Open Badges 3.0 credentials: what the learner downloads (a signed JWT and a baked PNG),
what verifiers fetch (the did:web document and the revocation list), who may download,
and key rotation. Signatures are checked with PyJWT, not with the site's own code."""

import base64
import gzip
import io
import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from PIL import Image

from learning import services
from learning.certificates import status_list
from learning.factories import CertificateFactory
from learning.models import Certificate

pytestmark = pytest.mark.django_db


def download(client, certificate, name="learning:certificate_credential"):
    response = client.get(reverse(name, args=[certificate.code]))
    assert response.status_code == 200, response.status_code
    return response


def verify_with_pyjwt(client, token):
    """PyJWT checks the signature with the key the token's kid names in the served DID
    document; returns the credential."""
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["typ"], header["cty"]) == ("EdDSA", "vc+jwt", "vc")
    document = client.get("/.well-known/did.json").json()
    assert header["kid"] in document["assertionMethod"]
    method = next(m for m in document["verificationMethod"] if m["id"] == header["kid"])
    key = jwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA")
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


def status_bit(client, entry):
    path = urlsplit(entry["statusListCredential"]).path
    response = client.get(path)
    assert response["Content-Type"] == "application/vc+jwt"
    listing = verify_with_pyjwt(client, response.content.decode())
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listing["credentialSubject"]["encodedList"][0] == "u"  # multibase base64url, no padding
    encoded = listing["credentialSubject"]["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert len(bits) * 8 == 131_072
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_credential_is_a_signed_open_badge_in_the_learners_language(client):
    certificate = CertificateFactory(
        recipient_name="Amina Diallo", title="Gestion des connaissances", user__email="a@x.org"
    )
    certificate.user.profile.preferred_language = "fr"
    certificate.user.profile.save()
    client.force_login(certificate.user)
    response = download(client, certificate)
    assert response["Content-Type"] == "application/vc+jwt"
    assert f"credential-{certificate.code}.jwt" in response["Content-Disposition"]

    credential = verify_with_pyjwt(client, response.content.decode())
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:testserver"
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["issuer"]["name"] == "Capacity Building Platform"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Amina Diallo"
    assert "a@x.org" not in json.dumps(credential)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Gestion des connaissances"
    assert (
        achievement["description"] == "Réussite du cours «\u00a0Gestion des connaissances\u00a0»."
    )
    assert achievement["criteria"]["narrative"].startswith("Terminer toutes les leçons")
    assert credential["validFrom"].endswith("Z")
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://testserver/certificates/status/0/"
    assert status["statusListIndex"] == str(certificate.pk - 1)
    assert status_bit(client, status) == 0


def test_tampered_credential_fails_verification(client):
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    token = download(client, certificate).content.decode()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Something never achieved"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        verify_with_pyjwt(client, f"{header}.{forged}.{signature}")


def test_revoking_sets_the_bit_and_stops_downloads(client, admin_user):
    certificate, neighbour = CertificateFactory(), CertificateFactory()
    client.force_login(certificate.user)
    entry = verify_with_pyjwt(client, download(client, certificate).content.decode())[
        "credentialStatus"
    ]
    assert status_bit(client, entry) == 0

    services.revoke_certificate(certificate, reason="Attendance recorded twice", user=admin_user)

    assert status_bit(client, entry) == 1
    neighbour_index = str(status_list.position(neighbour)[1])
    assert status_bit(client, {**entry, "statusListIndex": neighbour_index}) == 0
    for name in ("learning:certificate_credential", "learning:certificate_badge"):
        response = client.get(reverse(name, args=[certificate.code]))
        assert response.status_code == 302
        assert response.url == certificate.get_verification_path()
    page = client.get(certificate.get_verification_path()).content.decode()
    assert "has been revoked" in page and "Attendance recorded twice" in page


def test_a_deleted_certificates_place_reads_revoked(client):
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    entry = verify_with_pyjwt(client, download(client, certificate).content.decode())[
        "credentialStatus"
    ]
    CertificateFactory()  # keeps the list in range once the first is gone
    Certificate.objects.filter(pk=certificate.pk).delete()
    assert status_bit(client, entry) == 1


def test_corrected_name_is_in_the_next_credential_at_the_same_place(client):
    certificate = CertificateFactory(recipient_name="Amina Dialo")
    client.force_login(certificate.user)
    first = verify_with_pyjwt(client, download(client, certificate).content.decode())
    certificate.recipient_name = "Amina Diallo"
    certificate.save()
    second = verify_with_pyjwt(client, download(client, certificate).content.decode())
    assert second["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Diallo"
    assert second["credentialStatus"] == first["credentialStatus"]
    assert second["id"] == first["id"]


def test_badge_png_has_the_credential_baked_in(client):
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    response = download(client, certificate, "learning:certificate_badge")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (600, 600)
    token = image.text["openbadgecredential"]
    assert response.content.count(b"iTXtopenbadgecredential\x00\x00") == 1  # uncompressed
    credential = verify_with_pyjwt(client, token)
    assert credential["credentialSubject"]["achievement"]["name"] == certificate.title


def test_someone_elses_credential_is_404_and_nothing_changes(client, other_user):
    certificate = CertificateFactory()
    before = list(Certificate.objects.values())
    for name in ("learning:certificate_credential", "learning:certificate_badge"):
        url = reverse(name, args=[certificate.code])
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
        client.force_login(other_user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 405
    assert list(Certificate.objects.values()) == before
    client.force_login(other_user)
    page = client.get(certificate.get_verification_path()).content.decode()
    assert "Download credential" not in page and "LinkedIn" not in page


def test_owner_sees_downloads_and_linkedin_link(client):
    certificate = CertificateFactory(title="Synergies", issuer="KM4B")
    client.force_login(certificate.user)
    for path in ("/dashboard/", certificate.get_verification_path()):
        html = client.get(path).content.decode()
        assert reverse("learning:certificate_credential", args=[certificate.code]) in html
        assert reverse("learning:certificate_badge", args=[certificate.code]) in html
    start = html.index("https://www.linkedin.com/profile/add?")
    url = html[start : html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(url).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Synergies"]
    assert query["organizationName"] == ["KM4B"]
    assert query["issueYear"] == [str(certificate.achieved_at.year)]
    assert query["certId"] == [certificate.code]
    assert query["certUrl"] == ["http://testserver" + certificate.get_verification_path()]


def test_status_list_out_of_range_is_404(client):
    assert client.get("/certificates/status/0/").status_code == 404
    CertificateFactory()
    assert client.get("/certificates/status/0/").status_code == 200
    assert client.get("/certificates/status/1/").status_code == 404


def test_did_web_of_a_site_on_a_port(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://learning.example.org:8443/"
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == "did:web:learning.example.org%3A8443"
    assert document["assertionMethod"] == ["did:web:learning.example.org%3A8443#key-1"]


def write_key(path, key, *, private):
    if private:
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    else:
        data = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    path.write_bytes(data)
    return str(path)


def test_rotated_key_keeps_earlier_credentials_verifiable(client, settings, tmp_path):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.LEARNING_CREDENTIAL_KEY_FILE = write_key(tmp_path / "old.pem", old, private=True)
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    earlier = download(client, certificate).content.decode()
    assert jwt.get_unverified_header(earlier)["kid"] == "did:web:testserver#key-1"

    settings.LEARNING_CREDENTIAL_KEY_FILE = write_key(tmp_path / "new.pem", new, private=True)
    settings.LEARNING_CREDENTIAL_RETIRED_KEY_FILES = [
        write_key(tmp_path / "old.pub.pem", old, private=False)
    ]
    later = download(client, certificate).content.decode()
    assert jwt.get_unverified_header(later)["kid"] == "did:web:testserver#key-2"
    document = client.get("/.well-known/did.json").json()
    assert document["assertionMethod"] == ["did:web:testserver#key-1", "did:web:testserver#key-2"]
    assert verify_with_pyjwt(client, earlier)["id"] == verify_with_pyjwt(client, later)["id"]


def test_unreadable_key_file_is_a_clear_error(client, settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    (tmp_path / "bad.pem").write_text("not a key")
    settings.LEARNING_CREDENTIAL_KEY_FILE = str(tmp_path / "bad.pem")
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    with pytest.raises(ImproperlyConfigured, match="not an unencrypted PEM key"):
        client.get(reverse("learning:certificate_credential", args=[certificate.code]))


def test_system_check_names_an_unusable_key_file(settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    (tmp_path / "public-only.pem").write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    settings.LEARNING_CREDENTIAL_KEY_FILE = str(tmp_path / "public-only.pem")
    with pytest.raises(SystemCheckError, match="learning.E201.*public-only.pem"):
        call_command("check")
