"""A learner downloads their Open Badges credential from My learning and the badge image
from the certificate's page, in a real browser; the files are what a verifier gets: a JWT
whose signature checks (PyJWT, key from the served did.json) and a PNG carrying the same
credential in its ``openbadgecredential`` iTXt chunk."""

import json
import urllib.request
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from PIL import Image

from learning.factories import CertificateFactory
from tests.learning.test_browser_h5p import hosts, logged_in_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["hosts"]  # the fixture, used by name


def verify(site, token):
    header = jwt.get_unverified_header(token)
    url = site + "/.well-known/did.json"  # http(s) of the live server
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        document = json.load(response)
    method = next(m for m in document["verificationMethod"] if m["id"] == header["kid"])
    key = jwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA")
    return jwt.decode(token, key=key, algorithms=["EdDSA"])


def test_learner_downloads_credential_and_baked_badge(browser, hosts, user):
    certificate = CertificateFactory(
        user=user, recipient_name="Amina Diallo", title="Knowledge management for biodiversity"
    )
    learner, _ = logged_in_context(browser, user, hosts["site"])
    try:
        page = learner.new_page()
        page.goto(hosts["site"] + "/dashboard/")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download credential (JWT)").click()
        download = download_info.value
        assert download.suggested_filename == f"credential-{certificate.code}.jwt"
        with open(download.path()) as handle:
            token = handle.read()
        credential = verify(hosts["site"], token)
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Diallo"

        page.get_by_role("link", name="Public verification page").click()
        page.wait_for_url(hosts["site"] + certificate.get_verification_path())
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download badge image (PNG)").click()
        badge = Image.open(download_info.value.path())
        assert badge.format == "PNG"
        baked = badge.text["openbadgecredential"]
        assert verify(hosts["site"], baked)["id"] == credential["id"]

        linkedin = page.get_by_role("link", name="Add to LinkedIn profile")
        query = parse_qs(urlsplit(linkedin.get_attribute("href")).query)
        assert query["certId"] == [certificate.code]
        assert query["name"] == ["Knowledge management for biodiversity"]
    finally:
        learner.close()
