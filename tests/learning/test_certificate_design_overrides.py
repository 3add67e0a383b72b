"""A course or a webinar series can print its own issuer and signatories: the nearest
override on the certificate's page or its ancestors, laid over the site's design field by
field, on the PDF, the Open Badges credential and the LinkedIn link alike."""

import base64
import json

import pytest
from wagtail.models import Site

from courses.factories import CoursePageFactory
from learning.certificates import files
from learning.certificates.credentials import linkedin_add_url
from learning.factories import CertificateFactory, UserFactory
from learning.models import (
    CertificateDesign,
    CertificateDesignOverride,
    CertificateOverrideSignatory,
    CertificateSignatory,
)
from tests.learning.test_services_certificate_design import _letters
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_design():
    design = CertificateDesign.for_site(Site.objects.get(is_default_site=True))
    design.organisation_name = "Secretariat of the Convention on Biological Diversity"
    design.save()
    CertificateSignatory.objects.create(design=design, name="Site Signer", title="Head")
    return design


def certificate_of(page, **kwargs):
    user = UserFactory(profile__full_name="Amina Diallo", profile__preferred_language="en")
    return CertificateFactory(user=user, recipient_name="Amina Diallo", source=page, **kwargs)


def test_a_courses_override_is_printed_and_other_courses_keep_the_sites(site_design):
    synergies, other = CoursePageFactory(title="Rio synergies"), CoursePageFactory()
    override = CertificateDesignOverride.objects.create(
        page=synergies, organisation_name="Joint Liaison Group of the Rio Conventions"
    )
    CertificateOverrideSignatory.objects.create(design=override, name="Joint Signer", title="Chair")

    printed = _letters(files.certificate_pdf(certificate_of(synergies)))
    assert "JointLiaisonGroupoftheRioConventions" in printed
    assert "JointSigner" in printed and "SiteSigner" not in printed

    printed = _letters(files.certificate_pdf(certificate_of(other)))
    assert "SecretariatoftheConventiononBiologicalDiversity" in printed
    assert "SiteSigner" in printed and "JointSigner" not in printed


def test_a_series_override_reaches_its_sessions_and_empty_fields_fall_back(site_design):
    series = WebinarSeriesPageFactory(title="KM4B")
    session = WebinarPageFactory(parent=series)
    CertificateDesignOverride.objects.create(page=series)  # nothing of its own

    design = files.design_for_certificate(certificate_of(session, kind="webinar"))
    assert design.organisation_name == site_design.organisation_name
    assert [s.name for s in design.signatories] == ["Site Signer"]

    CertificateDesignOverride.objects.filter(page=series).update(organisation_name="KM4B team")
    certificate = certificate_of(session, kind="webinar")
    assert files.design_for_certificate(certificate).organisation_name == "KM4B team"
    assert "organizationName=KM4B+team" in linkedin_add_url(
        certificate, design=files.design_for_certificate(certificate)
    )


def test_the_credential_names_the_overriding_issuer(client, site_design):
    course = CoursePageFactory()
    CertificateDesignOverride.objects.create(page=course, organisation_name="UNCCD Secretariat")
    certificate = certificate_of(course)
    client.force_login(certificate.user)
    response = client.get(f"/certificates/{certificate.code}.jwt")
    assert response.status_code == 200
    payload = response.content.decode().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["issuer"]["name"] == "UNCCD Secretariat"


def test_only_administrators_manage_overrides(client, admin_user, site_design):
    course = CoursePageFactory()
    index = "/admin/certificate_design_overrides/"
    client.force_login(admin_user)
    assert client.get(index).status_code == 200
    assert client.get(index + "new/").status_code == 200

    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(index).status_code in (302, 403)
    response = client.post(index + "new/", {"page": course.pk, "organisation_name": "Mine"})
    assert response.status_code in (302, 403)
    assert not CertificateDesignOverride.objects.exists()
