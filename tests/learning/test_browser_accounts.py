"""What only a browser shows: the sign-up form pre-filled from the browser's settings."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_prefills_time_zone_and_language_from_the_browser(browser, live_server):
    context = browser.new_context(timezone_id="America/Bogota", locale="es-CO")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/signup/")
        assert page.locator("select[name=time_zone]").input_value() == "America/Bogota"
        assert page.locator("select[name=preferred_language]").input_value() == "es"
        assert page.locator("html").get_attribute("lang") == "es"
    finally:
        context.close()


def test_arabic_pages_are_laid_out_right_to_left(browser, live_server):
    context = browser.new_context(locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    finally:
        context.close()


def test_browser_time_zone_is_used_for_anonymous_visitors(browser, live_server):
    context = browser.new_context(timezone_id="America/Bogota")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")  # site.js remembers the zone
        page.goto(f"{live_server.url}/accounts/login/")
        assert "America/Bogota" in page.locator("footer").inner_text()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_learner_picks_a_zone_from_the_grouped_picker_without_javascript(page_as, live_server):
    from learning.factories import UserFactory
    from webinars.factories import WebinarPageFactory

    user = UserFactory(profile__time_zone="Africa/Dakar")
    webinar = WebinarPageFactory()
    page = page_as(user, java_script_enabled=False)
    page.goto(live_server.url + "/accounts/profile/")
    picker = page.locator("select[name=time_zone]")
    groups = picker.locator("optgroup").evaluate_all("els => els.map(e => e.label)")
    assert groups[:3] == ["Your time zone", "Africa", "Americas"]
    # Typing a place's first letters finds it in a plain <select>: the label starts with it.
    picker.select_option(label="Kolkata (UTC+05:30)")
    page.get_by_role("button", name="Save").click()
    page.goto(live_server.url + webinar.url)
    assert "Asia/Kolkata" in page.inner_text("main")
