"""A person downloads their data and erases their account, in a real browser, from the
profile page; afterwards they cannot sign in and their data is gone."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from learning.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_my_data_then_erase_my_account(browser, live_server):
    person = UserFactory(email="mariam.diallo@example.sn", username="mariam.diallo@example.sn")
    person.profile.full_name = "Mariam Diallo"
    person.profile.save()
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", person.email)
        page.fill("input[name=password]", "demo-pass-2026")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/accounts/profile/")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download your data (JSON)").click()
        download = download_info.value
        data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        assert data["account"]["email"] == person.email
        assert data["account"]["profile"]["full_name"] == "Mariam Diallo"

        page.get_by_role("link", name="Erase your account").click()
        page.get_by_label("Your password").fill("demo-pass-2026")
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Erase my account").click()
        page.wait_for_url(f"{live_server.url}/")

        erased = get_user_model().objects.get(pk=person.pk)
        assert erased.email == "" and not erased.is_active
        assert erased.profile.full_name == ""

        page.goto(f"{live_server.url}/accounts/profile/")
        assert "/accounts/login/" in page.url  # signed out
        page.fill("input[name=login]", person.email)
        page.fill("input[name=password]", "demo-pass-2026")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
    finally:
        context.close()
