"""Signed-in pages kept for their viewer (learning.personal_page_cache): a second look at a
page is served from the viewer's copy; the copy never reaches anyone else and holds no
secret (CSRF token, join link); everything the page shows is seen on the next request,
whoever changed it."""

import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.factories import EnrolmentFactory, build_course
from courses.models import Enrolment
from learning.demo import build_home_page
from learning.factories import UserFactory
from learning.page_cache import HEADER
from webinars import services
from webinars.factories import WebinarPageFactory, reschedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _kept_entries():
    """The viewers' entries in the test cache (``LocMemCache`` keys are ":1:<key>")."""
    keys = [key.split(":", 2)[2] for key in cache._cache if ":learning:mine:" in key]
    return [cache.get(key) for key in keys]


@pytest.fixture
def webinar():
    return WebinarPageFactory(capacity=10, title="Sharing what we know")


def test_a_second_look_is_served_from_the_viewers_copy(client, webinar):
    course, _lessons = build_course()
    client.force_login(UserFactory())
    for page in [build_home_page(), course.get_parent(), course, webinar]:
        first, second = _get(client, page.url), _get(client, page.url)
        assert first[HEADER] == "miss" and second[HEADER] == "hit", page
        assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_hit_runs_no_query_but_the_sessions(client, webinar):
    client.force_login(UserFactory())
    _get(client, webinar.url)
    with CaptureQueriesContext(connection) as captured:
        assert _get(client, webinar.url)[HEADER] == "hit"
    tables = [re.search(r'FROM "(\w+)"', query["sql"]).group(1) for query in captured]
    assert tables == ["django_session"]  # the test settings keep sessions in the database


def test_each_response_gets_a_fresh_csrf_token_and_the_copy_holds_none(webinar):
    learner = UserFactory()
    client = _signed_in(learner, enforce_csrf_checks=True)
    tokens = []
    for _ in range(3):
        tokens += TOKEN.findall(_get(client, webinar.url).content.decode())
    assert len(set(tokens)) == len(tokens) >= 3  # masked afresh every time
    (entry,) = _kept_entries()
    stored = entry[1].decode()
    assert not any(token in stored for token in tokens)
    assert "csrfmiddlewaretoken" in stored  # the form is there, with a placeholder
    # The token served from the copy is valid: the registration goes through.
    response = client.post(
        reverse("webinars:register", args=[webinar.pk]),
        {"csrfmiddlewaretoken": tokens[-1]},
    )
    assert response.status_code == 302
    assert webinar.registrations.filter(user=learner).exists()


def test_the_join_link_is_never_kept_and_still_reaches_its_registrant(client, webinar):
    registrant = UserFactory()
    registration = services.register(webinar, registrant)
    reschedule(webinar, starts_in=timedelta(minutes=5))
    client.force_login(registrant)
    join_path = f"/webinars/join/{registration.token}/"
    responses = [_get(client, webinar.url) for _ in range(3)]
    assert [response[HEADER] for response in responses] == ["miss", "hit", "hit"]
    assert all(join_path in response.content.decode() for response in responses)
    assert "no-store" in responses[2]["Cache-Control"]  # no browser or proxy keeps it
    (entry,) = _kept_entries()
    assert registration.token not in entry[1].decode()
    assert "/webinars/join/" not in entry[1].decode()


def test_one_viewers_copy_never_reaches_another(webinar):
    registrant, other = UserFactory(), UserFactory()
    registration = services.register(webinar, registrant)
    first = _signed_in(registrant)
    for _ in range(3):
        _get(first, webinar.url)
    second = _signed_in(other)
    body = _get(second, webinar.url).content.decode()
    assert registration.token not in body and "Your registration" not in body
    assert "Your registration" not in _get(Client(), webinar.url).content.decode()
    # The same person in another session (another browser) gets a copy of their own.
    again = _signed_in(registrant)
    assert _get(again, webinar.url)[HEADER] == "miss"


def test_what_the_viewer_does_is_seen_on_the_next_request(client):
    course, _lessons = build_course()
    client.force_login(UserFactory())
    for _ in range(3):
        body = _get(client, course.url).content.decode()
    assert "Enrol" in body and "Your progress" not in body
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    after = _get(client, course.url)  # with the message "enrolled": not kept
    assert HEADER not in after
    unenrol = 'action="{}"'.format(reverse("courses:unenrol", args=[course.pk]))
    assert unenrol in after.content.decode()
    again = _get(client, course.url)
    assert again[HEADER] == "miss" and unenrol in again.content.decode()


def test_what_others_change_for_the_viewer_is_seen_on_the_next_request(client):
    course, _lessons = build_course(enrolment_mode="approval")
    learner = UserFactory()
    enrolment = EnrolmentFactory(course=course, user=learner, status=Enrolment.Status.PENDING)
    client.force_login(learner)
    for _ in range(3):
        body = _get(client, course.url).content.decode()
    assert "waiting for approval" in body
    # An editor approves (a save by someone else, in another request).
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.enrolled_at = timezone.now()
    enrolment.save()
    body = _get(client, course.url).content.decode()
    assert "waiting for approval" not in body
    assert reverse("courses:unenrol", args=[course.pk]) in body


def test_a_new_group_shows_the_admin_link_on_the_next_request(client, webinar):
    learner = UserFactory()
    client.force_login(learner)
    for _ in range(3):
        assert 'href="/admin/"' not in _get(client, webinar.url).content.decode()
    editors = Group.objects.create(name="Editors of this test")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    learner.groups.add(editors)
    assert 'href="/admin/"' in _get(client, webinar.url).content.decode()
    editors.permissions.clear()  # the group loses the right: every member's pages change
    assert 'href="/admin/"' not in _get(client, webinar.url).content.decode()


def test_a_page_showing_a_message_is_not_kept(client, webinar):
    from wagtail import hooks

    client.force_login(UserFactory())

    def add_message(page, request, serve_args, serve_kwargs):
        messages.info(request, "Only this once")

    with hooks.register_temporarily("before_serve_page", add_message):
        shown = _get(client, webinar.url)
    assert "Only this once" in shown.content.decode() and HEADER not in shown
    assert _kept_entries() == []
    again = _get(client, webinar.url)
    assert again[HEADER] == "miss" and "Only this once" not in again.content.decode()


def test_lessons_are_served_afresh_and_record_each_visit(client):
    course, lessons = build_course()
    learner = UserFactory()
    enrolment = EnrolmentFactory(course=course, user=learner)
    client.force_login(learner)
    for lesson in [lessons[0], lessons[1], lessons[0]]:
        _get(client, lesson.url)
        _get(client, lesson.url)
        assert HEADER not in _get(client, lesson.url)
        enrolment.refresh_from_db()
        assert enrolment.last_lesson_id == lesson.pk


def test_a_copy_lasts_until_the_page_changes_by_the_clock(client, webinar):
    reschedule(webinar, starts_in=timedelta(minutes=32))  # joining opens in 2 minutes
    registrant = UserFactory()
    services.register(webinar, registrant)
    client.force_login(registrant)
    for _ in range(3):
        body = _get(client, webinar.url).content.decode()
    assert "Joining opens at" in body and "Join now" not in body
    _get(Client(), webinar.url)
    # The copy (and the anonymous one) expires when joining opens, not 5 minutes later.
    expiries = [
        expiry
        for key, expiry in cache._expire_info.items()
        if re.search(r":learning:(mine|page):", key)
    ]
    assert len(expiries) == 2
    assert all(expiry <= webinar.join_opens_at.timestamp() + 1 for expiry in expiries)


def test_any_post_of_the_viewer_drops_their_copies(client):
    """An xAPI statement from the H5P player, a preference, a form: whatever it changed."""
    course, _lessons = build_course()
    client.force_login(UserFactory())
    _get(client, course.url)
    assert _get(client, course.url)[HEADER] == "hit"
    response = client.post(
        reverse("learning:xapi_statements"), data="{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert _get(client, course.url)[HEADER] == "miss"


def test_a_rendering_that_changes_the_session_is_not_kept(client, webinar):
    from wagtail import hooks

    client.force_login(UserFactory())

    def remember(page, request, serve_args, serve_kwargs):
        request.session["seen"] = request.session.get("seen", 0) + 1

    with hooks.register_temporarily("before_serve_page", remember):
        for _ in range(2):
            assert HEADER not in _get(client, webinar.url)
        assert client.session["seen"] == 2
    assert _kept_entries() == []
