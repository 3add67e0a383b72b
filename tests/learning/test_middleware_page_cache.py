"""The anonymous page cache (learning.page_cache): which pages are served from it, what
each visitor gets (language, time zone), that every change is seen on the very next
request, and what is never stored."""

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.test import Client

from courses.factories import build_course
from learning.demo import build_home_page
from learning.factories import UserFactory
from learning.page_cache import HEADER
from webinars import services
from webinars.factories import (
    RegistrationFactory,
    WebinarPageFactory,
    WebinarSeriesPageFactory,
    reschedule,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def webinar():
    return WebinarPageFactory(capacity=10, title="Sharing what we know")


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response
    return response


def _seen_twice(client, url, **kwargs):
    first, second = _get(client, url, **kwargs), _get(client, url, **kwargs)
    return first, second


def test_anonymous_pages_are_served_from_the_cache(client, webinar, workshop_index):
    course, _lessons = build_course()
    pages = [
        build_home_page(),
        course.get_parent(),  # the catalogue
        course,
        webinar,
        webinar.get_parent(),  # the series
        workshop_index,
    ]
    for page in pages:
        first, second = _seen_twice(client, page.url)
        assert first[HEADER] == "miss", page
        assert second[HEADER] == "hit", page
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_runs_no_query(client, webinar, django_assert_num_queries):
    _get(client, webinar.url)
    with django_assert_num_queries(0):
        assert _get(client, webinar.url)[HEADER] == "hit"


def test_language_and_time_zone_are_part_of_the_key(client, webinar):
    english = _get(client, webinar.url)
    french = _get(client, webinar.url, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == "en" and french["Content-Language"] == "fr"
    assert french[HEADER] == "miss"
    assert french.content != english.content
    client.cookies["django_language"] = "es"
    assert _get(client, webinar.url)["Content-Language"] == "es"
    del client.cookies["django_language"]

    # Times are shown in the visitor's zone (the browser's cookie), named.
    client.cookies["tz"] = "Asia/Tokyo"
    tokyo = _get(client, webinar.url)
    assert tokyo[HEADER] == "miss"
    assert "Asia/Tokyo" in tokyo.content.decode()
    assert _get(client, webinar.url)[HEADER] == "hit"
    del client.cookies["tz"]
    paris = _get(client, webinar.url)
    assert paris[HEADER] == "hit" and "Asia/Tokyo" not in paris.content.decode()


# --- every change is seen on the next request ----------------------------------------------


def test_publish_is_seen_on_the_next_request(client, webinar):
    _seen_twice(client, webinar.url)
    webinar.title = "A new title"
    webinar.save_revision().publish()
    response = _get(client, webinar.url)
    assert response[HEADER] == "miss"
    assert "A new title" in response.content.decode()


def test_unpublish_is_seen_on_the_next_request(client, webinar):
    _seen_twice(client, webinar.url)
    webinar.unpublish()
    assert client.get(webinar.url).status_code == 404


def test_move_is_seen_on_the_next_request(client, webinar):
    series_url = webinar.get_parent().url
    assert "Sharing what we know" in _seen_twice(client, series_url)[1].content.decode()
    other = WebinarSeriesPageFactory()
    webinar.move(other, pos="last-child")
    assert "Sharing what we know" not in _get(client, series_url).content.decode()
    webinar.refresh_from_db()
    assert _get(client, webinar.url)[HEADER] == "miss"


def test_delete_is_seen_on_the_next_request(client, webinar):
    series_url = webinar.get_parent().url
    _seen_twice(client, series_url)
    url = webinar.url
    webinar.delete()
    assert "Sharing what we know" not in _get(client, series_url).content.decode()
    assert client.get(url).status_code == 404


def test_a_translation_is_seen_on_the_next_request(client, webinar):
    from wagtail.models import Locale

    _seen_twice(client, webinar.url)
    french = Locale.objects.get_or_create(language_code="fr")[0]
    home = build_home_page()
    home.copy_for_translation(french)  # parents first, as Wagtail's admin does
    webinar.get_parent().copy_for_translation(french)
    translation = webinar.copy_for_translation(french)
    translation.title = "Partager ce que nous savons"
    translation.save_revision().publish()
    assert _get(client, webinar.url)[HEADER] == "miss"


def test_a_registration_is_seen_on_the_next_request(client, webinar):
    assert "0 of 10 seats taken" in _text(_seen_twice(client, webinar.url)[1])
    registration = services.register(webinar, UserFactory())
    assert "1 of 10 seats taken" in _text(_get(client, webinar.url))
    services.cancel_registration(registration, user=registration.user)
    assert "0 of 10 seats taken" in _text(_get(client, webinar.url))
    RegistrationFactory(webinar=webinar)
    assert "1 of 10 seats taken" in _text(_get(client, webinar.url))


def test_a_schedule_change_is_seen_on_the_next_request(client, webinar):
    client.cookies["tz"] = "UTC"
    _seen_twice(client, webinar.url)
    webinar.start += timedelta(days=1, hours=3)
    webinar.end += timedelta(days=1, hours=3)
    webinar.save_revision().publish()
    body = _get(client, webinar.url).content.decode()
    assert f"{webinar.start:%H:%M}" in body


def test_a_material_is_seen_on_the_next_request(client, africa_materials, africa_workshop):
    public = africa_materials["public"]
    assert public.title in _seen_twice(client, africa_workshop.url)[1].content.decode()
    public.title = "Renamed material"
    public.save()
    assert "Renamed material" in _get(client, africa_workshop.url).content.decode()


# --- never stored, never served ----------------------------------------------------------


def test_a_page_with_a_csrf_token_is_never_stored(client, webinar):
    """A visitor who may register sees a form with a CSRF token: another visitor must
    never get that page (and its token) from the cache."""
    # Signed-out pages carry no form; a Wagtail page that renders one must not be stored.
    from django.middleware.csrf import get_token
    from wagtail import hooks

    def add_token(page, request, serve_args, serve_kwargs):
        get_token(request)

    with hooks.register_temporarily("before_serve_page", add_token):
        first, second = _seen_twice(client, webinar.url)
    assert HEADER not in first and HEADER not in second
    assert "csrftoken" in first.cookies
    assert Client().get(webinar.url)[HEADER] == "miss"  # nothing had been stored


def test_a_page_that_sets_a_cookie_is_never_stored(client, webinar):
    from wagtail import hooks

    def set_cookie(page, request, serve_args, serve_kwargs):
        response = page.serve(request, *serve_args, **serve_kwargs)
        response.render()
        response.set_cookie("seen", "1")
        return response

    with hooks.register_temporarily("before_serve_page", set_cookie):
        first, second = _seen_twice(client, webinar.url)
    assert HEADER not in first and HEADER not in second


def test_a_page_with_a_message_is_never_stored_nor_served_to_its_owner(client, webinar):
    from wagtail import hooks

    def add_message(page, request, serve_args, serve_kwargs):
        messages.info(request, "Only for you")

    with hooks.register_temporarily("before_serve_page", add_message):
        first = _get(client, webinar.url)
    assert HEADER not in first and "Only for you" in first.content.decode()
    assert "Only for you" not in Client().get(webinar.url).content.decode()
    # A visitor holding a message cookie is never served from the cache.
    Client().get(webinar.url)
    client.cookies["messages"] = "anything"
    assert HEADER not in _get(client, webinar.url)


def test_a_registrants_page_never_reaches_the_anonymous_cache(client, webinar):
    """Signed-in pages are kept only for their viewer (``test_page_cache_personal.py``)."""
    registrant = UserFactory()
    registration = services.register(webinar, registrant)
    reschedule(webinar, starts_in=timedelta(minutes=5))
    client.force_login(registrant)
    for _ in range(2):
        response = _get(client, webinar.url)
    join_path = f"/webinars/join/{registration.token}"
    assert join_path in response.content.decode()  # the personal join link
    anonymous = _get(Client(), webinar.url)
    assert anonymous[HEADER] == "miss"
    assert "/webinars/join/" not in anonymous.content.decode()
    assert "Your registration" not in anonymous.content.decode()


def test_a_session_cookie_bypasses_the_cache(client, webinar):
    _get(Client(), webinar.url)
    client.cookies["sessionid"] = "whatever"
    assert HEADER not in _get(client, webinar.url)


def test_views_that_are_not_pages_are_not_cached(client):
    response = client.get("/accounts/login/")
    assert HEADER not in response


def test_turned_off_with_zero(client, webinar, settings):
    settings.LEARNING_PAGE_CACHE_SECONDS = 0
    assert HEADER not in _get(client, webinar.url)
    assert HEADER not in _get(client, webinar.url)


def test_visitors_change_language_without_a_token_signed_in_people_with_one(webinar):
    visitor = Client(enforce_csrf_checks=True)
    body = _get(visitor, webinar.url).content.decode()
    assert "csrfmiddlewaretoken" not in body and 'action="/language/"' in body
    response = visitor.post("/language/", {"language": "fr", "next": webinar.url})
    assert response.status_code == 302 and response["Location"] == webinar.url
    assert visitor.cookies["django_language"].value == "fr"
    assert _get(visitor, webinar.url)["Content-Language"] == "fr"

    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(UserFactory())
    body = _get(signed_in, webinar.url).content.decode()
    assert 'action="/i18n/setlang/"' in body and "csrfmiddlewaretoken" in body


def _text(response):
    """The page without the <bdi> isolation around values."""
    return re.sub(r"</?bdi[^>]*>", "", response.content.decode())
