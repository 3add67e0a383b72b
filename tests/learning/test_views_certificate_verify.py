"""Verification by typed code: the no-JS form, valid / revoked with its reason / unknown,
the viewer's language, nothing personal beyond the name, and the limit on unknown codes."""

import pytest
from django.test import override_settings
from django.urls import reverse

from learning import services
from learning.certificates.verification import normalise_code
from learning.factories import CertificateFactory
from learning.models import Certificate

pytestmark = pytest.mark.django_db
FORM = "/certificates/verify/"


def test_form_page_answers_without_javascript(client):
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get" action="/certificates/verify/"' in html
    assert 'name="code"' in html and "<script" not in html.split("<main")[-1].split("</main>")[0]


@pytest.mark.parametrize(
    "typed",
    ["{code}", "{lower}", " {spaced} ", "{nodash}"],
)
def test_typed_code_in_any_form_leads_to_its_verification_page(client, typed):
    certificate = CertificateFactory()
    code = certificate.code
    typed = typed.format(
        code=code,
        lower=code.lower(),
        spaced=code.replace("-", " "),
        nodash=code.replace("-", ""),
    )
    response = client.get(FORM, {"code": typed})
    assert response.status_code == 302
    assert response.url == certificate.get_verification_path()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "This certificate is valid." in page.content.decode()


def test_malformed_code_names_the_problem_and_keeps_the_form(client):
    response = client.get(FORM, {"code": "ABC-123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A certificate code has 20 letters and digits" in html
    assert 'value="ABC-123"' in html


def test_valid_page_shows_name_and_achievement_not_personal_data(client):
    certificate = CertificateFactory(recipient_name="Amina Diallo")
    html = client.get(certificate.get_verification_path()).content.decode()
    assert "This certificate is valid." in html
    assert "Amina Diallo" in html and certificate.title in html
    assert certificate.user.email not in html
    assert certificate.user.username not in html


def test_revoked_page_shows_the_reason(client, admin_user):
    certificate = CertificateFactory()
    services.revoke_certificate(
        certificate, reason="Attendance was recorded twice", user=admin_user
    )
    html = client.get(certificate.get_verification_path()).content.decode()
    assert "This certificate has been revoked." in html
    assert "Attendance was recorded twice" in html
    assert "This certificate is valid." not in html


def test_unknown_code_is_404_and_says_so(client):
    response = client.get(reverse("learning:certificate_verify", args=["ABCDE-FGHJK-LMNPQ-RSTUV"]))
    assert response.status_code == 404
    assert "No certificate has this code." in response.content.decode()


def test_page_speaks_the_viewers_language(client):
    certificate = CertificateFactory()
    html = client.get(
        certificate.get_verification_path(), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert 'lang="fr"' in html
    assert "This certificate is valid." not in html
    client.cookies["django_language"] = "ar"
    html = client.get(certificate.get_verification_path()).content.decode()
    assert 'lang="ar"' in html and "This certificate is valid." not in html


@override_settings(LEARNING_CERTIFICATE_VERIFY_MAX_MISSES=3)
def test_unknown_codes_are_rate_limited_per_address_then_every_lookup_is_refused(client):
    certificate = CertificateFactory()
    for n in range(3):
        url = reverse("learning:certificate_verify", args=[f"ABCDE-FGHJK-LMNPQ-RSTU{n + 2}"])
        assert client.get(url).status_code == 404
    refused = client.get(certificate.get_verification_path())
    assert refused.status_code == 429
    assert "Too many unknown codes" in refused.content.decode()
    assert certificate.recipient_name not in refused.content.decode()
    # Another address is not affected.
    other = client.get(certificate.get_verification_path(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@override_settings(
    LEARNING_CERTIFICATE_VERIFY_MAX_MISSES=1, LEARNING_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR"
)
def test_behind_a_proxy_the_limit_is_per_client_not_per_proxy(client):
    certificate = CertificateFactory()
    unknown = reverse("learning:certificate_verify", args=["ABCDE-FGHJK-LMNPQ-RSTUV"])
    # The client cannot escape by writing its own X-Forwarded-For: the proxy's entry is last.
    assert client.get(unknown, HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1").status_code == 404
    spoofed = client.get(
        certificate.get_verification_path(), HTTP_X_FORWARDED_FOR="10.0.0.2, 198.51.100.1"
    )
    assert spoofed.status_code == 429
    other = client.get(certificate.get_verification_path(), HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200


def test_codes_are_long_and_unambiguous():
    codes = {Certificate._meta.get_field("code").default() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert normalise_code(code) == code
        assert len(code.replace("-", "")) == 20
        assert not set(code) & set("01OI")
