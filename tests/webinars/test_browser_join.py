"""Joining a webinar in a real browser, to the request that reaches the meeting host: from
the personal join link (as in the emails and the calendar feed), from the webinar page and
from My learning. The meeting host is intercepted; the test asserts the browser went there
and told it nothing about where it came from."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.factories import UserFactory
from webinars.factories import RegistrationFactory, WebinarPageFactory
from webinars.models import Registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _webinar_starting_in(minutes, **kwargs):
    start = timezone.now() + timedelta(minutes=minutes)
    return WebinarPageFactory(start=start, end=start + timedelta(hours=1), **kwargs)


def _intercept_meeting_host(page, webinar):
    """Answer the meeting host's requests in place of the real host; return what was asked."""
    host = urlsplit(webinar.join_url)
    requests = []

    def meeting(route):
        requests.append({"url": route.request.url, "headers": route.request.all_headers()})
        route.fulfill(status=200, content_type="text/html", body="<h1>Meeting room</h1>")

    page.route(f"{host.scheme}://{host.netloc}/**", meeting)
    return requests


def _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server):
    page.wait_for_url(webinar.join_url)
    assert page.inner_text("h1") == "Meeting room"
    assert [r["url"] for r in requests] == [webinar.join_url]
    headers = requests[0]["headers"]
    # The meeting host learns nothing about our site, least of all the personal join link.
    assert "referer" not in headers
    assert live_server.url not in str(headers)


def test_confirmed_registrant_joins_from_the_personal_link(page, live_server):
    webinar = _webinar_starting_in(10)
    registration = RegistrationFactory(webinar=webinar)
    # The link from the emails and the calendar feed: the browser need not be signed in.
    requests = _intercept_meeting_host(page, webinar)
    response = page.goto(live_server.url + reverse("webinars:join", args=[registration.token]))
    assert response.status == 200
    assert webinar.join_url not in page.content()
    page.get_by_role("button", name="Join now").click()
    _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server)
    registration.refresh_from_db()
    assert registration.join_clicks == 1


def test_confirmed_registrant_joins_from_the_webinar_page(page_as, live_server):
    webinar = _webinar_starting_in(10)
    registration = RegistrationFactory(webinar=webinar)
    page = page_as(registration.user)
    requests = _intercept_meeting_host(page, webinar)
    page.goto(live_server.url + webinar.url)
    main = page.inner_text("main")
    assert "Joining opens at" not in main
    assert webinar.join_url not in page.content()
    page.get_by_role("button", name="Join now").click()
    _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server)
    registration.refresh_from_db()
    assert registration.join_clicks == 1


def test_confirmed_registrant_joins_from_my_learning(page_as, live_server):
    webinar = _webinar_starting_in(-5)  # already started: joining late still works
    registration = RegistrationFactory(webinar=webinar)
    page = page_as(registration.user)
    requests = _intercept_meeting_host(page, webinar)
    page.goto(live_server.url + reverse("learning:dashboard"))
    assert webinar.join_url not in page.content()
    page.get_by_role("button", name="Join now").click()
    _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server)


def test_before_the_window_the_join_page_says_when_and_lets_nobody_through(page_as, live_server):
    webinar = _webinar_starting_in(120)
    registration = RegistrationFactory(webinar=webinar)
    page = page_as(registration.user)
    requests = _intercept_meeting_host(page, webinar)
    page.goto(live_server.url + webinar.url)
    assert page.get_by_role("button", name="Join now").count() == 0
    page.get_by_role("link", name="Your join page").click()
    assert "Joining opens at" in page.inner_text("main")
    assert page.get_by_role("button", name="Join now").count() == 0
    assert requests == []


def test_waitlisted_person_is_promoted_then_joins(page_as, live_server):
    from webinars import services

    webinar = _webinar_starting_in(10, capacity=1)
    first = RegistrationFactory(webinar=webinar)
    waiting = services.register(webinar, UserFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    page = page_as(waiting.user)
    requests = _intercept_meeting_host(page, webinar)
    page.goto(live_server.url + webinar.url)
    assert page.get_by_role("button", name="Join now").count() == 0
    joined = page.goto(live_server.url + reverse("webinars:join", args=[waiting.token]))
    assert joined.status == 403
    assert webinar.join_url not in page.content()

    services.cancel_registration(first, user=first.user)
    page.goto(live_server.url + webinar.url)
    page.get_by_role("button", name="Join now").click()
    _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server)


def test_registers_and_joins_from_the_copy_of_the_page_kept_for_them(
    page_as, live_server, settings
):
    """Signed-in pages are kept for their viewer (learning.personal_page_cache): the CSRF
    token and the join link in the kept copy are put in afresh for each response."""
    from django.core.cache import cache

    settings.LEARNING_PAGE_CACHE_SECONDS = 300
    cache.clear()
    webinar = _webinar_starting_in(10, capacity=10)
    learner = UserFactory()
    page = page_as(learner)
    requests = _intercept_meeting_host(page, webinar)
    url = live_server.url + webinar.url
    try:
        assert page.goto(url).headers.get("x-page-cache") == "miss"
        assert page.reload().headers.get("x-page-cache") == "hit"
        page.get_by_role("button", name="Register").click()
        page.wait_for_load_state()
        assert "Your registration: Confirmed." in page.inner_text("main")
        registration = Registration.objects.get(webinar=webinar, user=learner)

        assert page.reload().headers.get("x-page-cache") == "miss"  # a copy of the new page
        assert page.reload().headers.get("x-page-cache") == "hit"
        assert "1 of 10 seats taken." in page.inner_text("main")
        action = page.get_attribute("form.join-now", "action")
        assert action == reverse("webinars:join", args=[registration.token])
        page.get_by_role("button", name="Join now").click()
        _assert_reached_the_meeting_anonymously(page, webinar, requests, live_server)
        registration.refresh_from_db()
        assert registration.join_clicks == 1
    finally:
        cache.clear()
