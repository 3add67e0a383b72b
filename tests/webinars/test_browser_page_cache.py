"""A visitor's cached webinar page in a real browser: another person registers, and the
visitor's next reload shows the seat taken (the cache was dropped, not waited out)."""

import pytest
from django.core.cache import cache

from learning.factories import UserFactory
from webinars.factories import WebinarPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_visitor_sees_the_seat_taken_on_the_next_reload(browser, page_as, live_server, settings):
    settings.LEARNING_PAGE_CACHE_SECONDS = 300
    cache.clear()
    webinar = WebinarPageFactory(capacity=10, title="Mapping who knows what")
    url = f"{live_server.url}{webinar.url}"
    visitor_context = browser.new_context()
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(15_000)
    try:
        assert visitor.goto(url).headers.get("x-page-cache") == "miss"
        assert visitor.reload().headers.get("x-page-cache") == "hit"
        assert "0 of 10 seats taken" in visitor.inner_text("main")

        learner = page_as(UserFactory())
        learner.goto(url)
        learner.get_by_role("button", name="Register").click()
        learner.wait_for_load_state()
        assert "1 of 10 seats taken" in learner.inner_text("main")

        response = visitor.reload()
        assert response.headers.get("x-page-cache") == "miss"
        assert "1 of 10 seats taken" in visitor.inner_text("main")
        assert "Your registration" not in visitor.inner_text("main")
    finally:
        visitor_context.close()
        cache.clear()


def test_visitor_switches_language_and_gets_the_page_in_it(page, live_server, settings):
    settings.LEARNING_PAGE_CACHE_SECONDS = 300
    cache.clear()
    webinar = WebinarPageFactory(capacity=10)
    try:
        page.goto(f"{live_server.url}{webinar.url}")
        assert page.reload().headers.get("x-page-cache") == "hit"  # English, from the cache
        page.select_option("#language-select", "fr")
        page.get_by_role("button", name="Change").click()
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "fr"
        assert "0 places prises sur 10." in page.inner_text("main")
    finally:
        cache.clear()
