"""Certificates in the Wagtail admin: list, search, revoke with a reason."""

import pytest
from django.urls import reverse

from learning.factories import CertificateFactory, UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS, GROUP_LEARNERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return UserFactory(groups=[GROUP_COURSE_EDITORS])


def test_course_editor_revokes_with_a_reason(client, editor):
    certificate = CertificateFactory(recipient_name="王芳")
    client.force_login(editor)
    listing = client.get(reverse("certificates:index"), {"q": certificate.code})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "王芳" in html
    revoke_url = reverse("certificates:revoke", args=[certificate.pk])
    assert revoke_url in html
    # The revoke form posts to itself (not to the name form beside it).
    assert f'action="{revoke_url}"' in client.get(revoke_url).content.decode()

    assert client.get(revoke_url).status_code == 200
    response = client.post(revoke_url, {"revoked_reason": "   "})
    assert response.status_code == 200  # form error: a reason is required
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    response = client.post(revoke_url, {"revoked_reason": "Completion obtained by fraud"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == editor
    assert certificate.revoked_reason == "Completion obtained by fraud"
    verify = client.get(certificate.get_verification_path()).content.decode()
    assert "has been revoked" in verify and "Completion obtained by fraud" in verify
    # Revoked by hand, not by an attendance correction: a correction will not re-issue it.
    assert not certificate.revoked_by_correction
    inspect = client.get(reverse("certificates:inspect", args=[certificate.pk]))
    assert "Revoked by an attendance correction" in inspect.content.decode()
    # Revoking twice is not offered.
    assert revoke_url not in client.get(reverse("certificates:index")).content.decode()


def test_learner_cannot_reach_the_certificate_admin(client):
    certificate = CertificateFactory()
    client.force_login(UserFactory(groups=[GROUP_LEARNERS]))
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"revoked_reason": "x"}
    )
    assert response.status_code == 302 and "/admin/login/" in response.url
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_certificate_listing_query_count(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    CertificateFactory()

    def count():
        with django_assert_max_num_queries(40) as captured:
            assert client.get(reverse("certificates:index")).status_code == 200
        return len(captured.captured_queries)

    count()
    few = count()
    for _n in range(15):
        CertificateFactory()
    assert count() == few
