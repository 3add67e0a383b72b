"""An administrator gives a webinar series its own issuer in a real browser (the page
chooser included); the learner's series certificate, PDF and credential, then name it."""

import io

import jwt
import pytest
from pypdf import PdfReader
from wagtail.models import Site

from learning.factories import CertificateFactory, UserFactory
from learning.models import CertificateDesign, CertificateDesignOverride
from webinars.factories import WebinarSeriesPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_sets_a_series_issuer_and_the_learner_downloads_it(page_as, live_server):
    design = CertificateDesign.for_site(Site.objects.get(is_default_site=True))
    design.organisation_name = "Secretariat of the Convention on Biological Diversity"
    design.save()
    series = WebinarSeriesPageFactory(title="KM4B season one")
    learner = UserFactory(profile__full_name="Amina Diallo", profile__preferred_language="en")
    certificate = CertificateFactory(
        user=learner,
        recipient_name="Amina Diallo",
        title="KM4B season one",
        kind="series",
        source=series,
    )
    admin = UserFactory(is_staff=True, is_superuser=True)

    page = page_as(admin, accept_downloads=True)
    page.goto(live_server.url + "/admin/certificate_design_overrides/new/")
    page.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-content")
    modal.get_by_placeholder("Search…").fill("KM4B")
    modal.get_by_role("link", name="KM4B season one", exact=True).click()
    page.fill("#id_organisation_name", "CBD Secretariat with the KM4B partners")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/admin/certificate_design_overrides/")
    assert CertificateDesignOverride.objects.get().page_id == series.pk

    page = page_as(learner, accept_downloads=True)
    page.goto(live_server.url + "/dashboard/")
    row = page.locator("tr", has_text="KM4B season one")
    pdf = page.request.get(
        live_server.url + row.get_by_role("link", name="Download PDF").get_attribute("href")
    ).body()
    with page.expect_download() as download:
        row.get_by_role("link", name="Download credential (JWT)").click()
    with open(download.value.path()) as file:
        token = file.read()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert text.startswith("CBD Secretariat with the KM4B partners")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["issuer"]["name"] == "CBD Secretariat with the KM4B partners"
    assert certificate.code in str(claims)
