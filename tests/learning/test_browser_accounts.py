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
