"""A learner downloads their certificate; a third party types its code on
/certificates/verify/ and sees it valid; an administrator revokes it in the admin; the
third party then sees it revoked, with the reason."""

import re

import pytest
from pypdf import PdfReader

from learning.factories import CertificateFactory
from tests.learning.test_browser_h5p import hosts, logged_in_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["hosts"]  # the fixture, used by name


def test_download_verify_by_typed_code_revoke_and_see_revoked(browser, hosts, user, admin_user):
    certificate = CertificateFactory(
        user=user, recipient_name="Amina Diallo", title="Knowledge management for biodiversity"
    )
    learner, _ = logged_in_context(browser, user, hosts["site"])
    third_party = browser.new_context()
    admin, _ = logged_in_context(browser, admin_user, hosts["site"])
    try:
        page = learner.new_page()
        page.goto(hosts["site"] + "/dashboard/")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download PDF").click()
        pdf = PdfReader(download_info.value.path())
        text = pdf.pages[0].extract_text()
        assert "Amina Diallo" in text
        printed_code = re.search(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){3}", text).group(0)
        assert printed_code == certificate.code

        verifier = third_party.new_page()
        verifier.goto(hosts["site"] + "/certificates/verify/")
        verifier.get_by_label("Certificate code").fill(printed_code.lower().replace("-", " "))
        verifier.get_by_role("button", name="Verify").click()
        verifier.wait_for_url(hosts["site"] + certificate.get_verification_path())
        status = verifier.locator("#verification-status")
        assert status.inner_text() == "This certificate is valid."
        assert verifier.get_by_text("Amina Diallo").is_visible()

        staff = admin.new_page()
        staff.goto(hosts["site"] + f"/admin/certificates/revoke/{certificate.pk}/")
        staff.get_by_label("Reason for revocation").fill("Attendance was recorded twice")
        staff.get_by_role("button", name="Revoke").click()
        staff.get_by_text(f"Certificate “{certificate}” revoked.").wait_for()

        verifier.reload()
        assert status.inner_text() == "This certificate has been revoked."
        assert verifier.get_by_text("Attendance was recorded twice").is_visible()
    finally:
        for context in (learner, third_party, admin):
            context.close()
