"""Certificate PDF download (owner or staff only) and the public verification page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from learning import services
from learning.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_owner_downloads_pdf(client):
    certificate = CertificateFactory()
    client.force_login(certificate.user)
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert certificate.code in response["Content-Disposition"]


def test_other_learner_gets_404_and_anonymous_is_sent_to_login(client, other_user):
    certificate = CertificateFactory()
    url = reverse("learning:certificate_pdf", args=[certificate.code])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("learning:certificate_pdf", args=["NOPE-NOPE"])).status_code == 404


def test_staff_with_view_permission_downloads(client):
    certificate = CertificateFactory()
    staff = UserFactory()
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    url = reverse("learning:certificate_pdf", args=[certificate.code])
    assert client.get(url).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    assert client.get(url).status_code == 200


def test_revoked_certificate_pdf_redirects_to_verification(client, admin_user):
    certificate = CertificateFactory()
    services.revoke_certificate(certificate, reason="Issued by mistake", user=admin_user)
    client.force_login(certificate.user)
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 302
    assert response.url == certificate.get_verification_path()
    page = client.get(response.url)
    assert "has been revoked" in page.content.decode()


def test_verification_page_shows_only_name_title_and_date(client):
    certificate = CertificateFactory(recipient_name="王芳")
    response = client.get(certificate.get_verification_path())
    html = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in html and "王芳" in html and certificate.title in html
    assert certificate.user.email not in html
    unknown = client.get(reverse("learning:certificate_verify", args=["ABCDE-FGHJK"]))
    assert unknown.status_code == 404
    assert "No certificate has this code." in unknown.content.decode()
