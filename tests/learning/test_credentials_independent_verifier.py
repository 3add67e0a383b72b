"""Credentials checked by an implementation that shares no code with the site: Node.js
with the `jose` library (tests/learning/credential_verifier.mjs) resolves the issuer's
did:web document from the live server, verifies the EdDSA signature, then fetches the
served revocation list, verifies it and reads the certificate's bit."""

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from learning import services
from learning.factories import CertificateFactory
from tests.learning.test_browser_h5p import hosts

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

__all__ = ["hosts"]  # the fixture, used by name

VERIFIER = Path(__file__).with_name("credential_verifier.mjs")
NODE = shutil.which("node")


def run_verifier(tmp_path, token):
    credential = tmp_path / "credential.jwt"
    credential.write_text(token)
    completed = subprocess.run(  # noqa: S603 - node and our own verifier script
        [NODE, str(VERIFIER), str(credential), "--http"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=VERIFIER.parent,
        check=False,
    )
    assert completed.stderr == "", completed.stderr
    return completed.returncode, json.loads(completed.stdout)


@pytest.mark.skipif(NODE is None, reason="needs Node.js (the independent verifier)")
def test_node_jose_verifies_detects_tampering_and_sees_revocation(hosts, tmp_path, admin_user):
    certificate = CertificateFactory(title="Knowledge management for biodiversity")
    certificate.user.profile.preferred_language = "es"
    certificate.user.profile.save()
    client = Client()
    client.force_login(certificate.user)
    token = client.get(
        reverse("learning:certificate_credential", args=[certificate.code])
    ).content.decode()

    code, result = run_verifier(tmp_path, token)
    port = hosts["site"].rsplit(":", 1)[1]
    assert code == 0, result
    assert result["verified"] is True and result["revoked"] is False
    assert result["entries"] == 131_072
    assert result["issuer"] == f"did:web:127.0.0.1%3A{port}"
    assert result["kid"] == f"did:web:127.0.0.1%3A{port}#key-1"
    assert result["criteria"] == (
        "Completar todas las lecciones obligatorias del curso "
        "“Knowledge management for biodiversity”."
    )

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    code, result = run_verifier(tmp_path, f"{header}.{forged}.{signature}")
    assert code == 1
    assert result == {"verified": False, "error": "signature verification failed"}

    services.revoke_certificate(certificate, reason="Issued by mistake", user=admin_user)

    code, result = run_verifier(tmp_path, token)  # the copy the learner kept
    assert code == 0, result
    assert result["verified"] is True and result["revoked"] is True
    page = client.get(certificate.get_verification_path()).content.decode()
    assert 'class="status-revoked" id="verification-status"' in page
    assert "Issued by mistake" in page
