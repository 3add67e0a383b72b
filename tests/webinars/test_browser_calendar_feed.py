"""In Chromium: a learner replaces their private calendar address from My learning; the
new address serves their calendar and the old one is gone (issue 18, item 9)."""

import pytest

from learning.factories import UserFactory
from webinars import services
from webinars.factories import WebinarPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("javascript", [True, False])
def test_replace_the_calendar_address_from_my_learning(page_as, live_server, javascript):
    user = UserFactory()
    services.register(WebinarPageFactory(title="KM4B: Knowledge hubs"), user, {})
    page = page_as(user, java_script_enabled=javascript)
    page.goto(live_server.url + "/dashboard/")
    old_url = page.locator("a.feed-url").get_attribute("href")

    page.get_by_role("button", name="Replace my calendar address").click()

    assert "old one no longer works" in page.inner_text("main")
    new_url = page.locator("a.feed-url").get_attribute("href")
    assert new_url != old_url
    calendar = page.request.get(live_server.url + new_url)
    assert calendar.status == 200 and "KM4B: Knowledge hubs" in calendar.text()
    assert page.request.get(live_server.url + old_url).status == 404
