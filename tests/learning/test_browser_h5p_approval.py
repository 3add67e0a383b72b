"""In a real browser: an editor uploads a package whose library is not installed, an
administrator approves it in the approvals screen, and the editor previews it on the page
they are writing, where the H5P player renders the content."""

import pytest
from django.core import mail
from wagtail.models import Site

from courses.factories import grant_page_permissions
from learning.factories import UserFactory
from learning.h5p import samples
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import ActivityPage, ActivityProgress, H5PContent, H5PLibrary
from tests.fixtures_h5p_play import default_site_root
from tests.learning.test_browser_h5p import h5p_frame, hosts, logged_in_context  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "Which convention covers desertification?"


def test_editor_upload_is_approved_by_an_administrator_then_previewed(
    browser,
    hosts,  # noqa: F811
    admin_user,
    tmp_path,
):
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS], first_name="Aminata", last_name="Diallo")
    package = tmp_path / "desertification-check.h5p"
    package.write_bytes(samples.build_package(title="Desertification check", question=QUESTION))
    site = hosts["site"]
    # Wagtail builds the preview request for the page's site: make it the site's host, not
    # "localhost", which is the content origin here.
    Site.objects.filter(is_default_site=True).update(
        hostname="127.0.0.1", port=int(site.rsplit(":", 1)[1])
    )

    # 1. The editor uploads it: held, not refused.
    editor_context, _ = logged_in_context(browser, editor, site)
    page = editor_context.new_page()
    page.set_default_timeout(20_000)
    page.goto(site + "/admin/learning/h5p-content/new/")
    page.set_input_files("input[name=package]", str(package))
    page.get_by_role("button", name="Create").click()
    page.get_by_text("brings H5P libraries that are not installed").wait_for()
    page.get_by_text("Awaiting library approval").first.wait_for()
    content = H5PContent.objects.get(title="Desertification check")
    assert content.current_version is None and not H5PLibrary.objects.exists()
    assert [message.to for message in mail.outbox] == [[admin_user.email]]

    # The editor places it on a page they are writing (a draft).
    draft = ActivityPage(
        title="Land and drought",
        body=[{"type": "h5p", "value": {"content": content.pk, "required": True}}],
        live=False,
    )
    default_site_root().add_child(instance=draft)
    draft.save_revision()
    grant_page_permissions(draft, GROUP_COURSE_EDITORS)

    # 2. The administrator approves it in one screen showing the library and version.
    admin_context, _ = logged_in_context(browser, admin_user, site)
    admin_page = admin_context.new_page()
    admin_page.set_default_timeout(20_000)
    admin_page.goto(site + "/admin/")
    admin_page.locator("#h5p-approvals").get_by_role("link", name="Desertification check").click()
    row = admin_page.locator("tr", has_text="H5P.CBQuickCheck")
    assert "1.0.0" in row.inner_text() and "not installed (new)" in row.inner_text()
    admin_page.get_by_role("button", name="Approve and install").click()
    admin_page.get_by_text("can be played now").wait_for()
    content.refresh_from_db()
    assert content.current_version is not None
    assert mail.outbox[-1].to == [editor.email] and "approved" in mail.outbox[-1].subject

    # 3. The editor is told on the admin home, then previews the draft: the player renders
    #    the content, and trying it records nothing.
    page.goto(site + "/admin/")
    page.locator("#h5p-approvals").get_by_text("libraries approved, playable").wait_for()
    page.goto(site + f"/admin/pages/{draft.pk}/view_draft/")
    page.get_by_text("Nothing you do is recorded as learner progress").wait_for()
    frame = h5p_frame(page)
    frame.get_by_text(QUESTION).wait_for()
    frame.get_by_label(samples.DEFAULT_ANSWERS[0]).check()
    frame.get_by_role("button", name="Check").click()
    frame.get_by_text("Correct", exact=False).first.wait_for()
    assert not ActivityProgress.objects.exists()
    editor_context.close()
    admin_context.close()
