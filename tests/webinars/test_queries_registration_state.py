"""What the webinar page offers a visitor (``queries.registration_state``) and when the
personal join link lets a registrant in (``services.join_state``): decided in Python,
rendered by the templates."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from learning.factories import UserFactory
from webinars import queries, services
from webinars.factories import WebinarPageFactory
from webinars.models import Registration, WebinarPage

pytestmark = pytest.mark.django_db


def test_registering_is_offered_then_the_waitlist_once_every_seat_is_taken(user):
    webinar = WebinarPageFactory(capacity=1)
    anonymous = queries.registration_state(webinar, AnonymousUser())
    assert anonymous.needs_login and not anonymous.can_register

    state = queries.registration_state(webinar, user)
    assert state.can_register and not state.joins_waitlist and state.registration is None

    services.register(webinar, UserFactory())
    state = queries.registration_state(webinar, user)
    assert state.can_register and state.joins_waitlist
    assert (state.confirmed_count, state.capacity) == (1, 1)


def test_a_registrant_may_cancel_and_open_the_join_page_until_the_end(user):
    webinar = WebinarPageFactory(capacity=1)
    registration = services.register(webinar, user)
    state = queries.registration_state(webinar, user)
    assert state.registration == registration
    assert state.can_cancel and state.can_open_join_page and not state.can_register
    assert state.join_state == "too_early"

    webinar.start = timezone.now() + timedelta(minutes=10)
    webinar.end = webinar.start + timedelta(hours=1)
    assert queries.registration_state(webinar, user).join_state == "open"

    webinar.start = timezone.now() - timedelta(hours=3)
    webinar.end = webinar.start + timedelta(hours=1)
    state = queries.registration_state(webinar, user)
    assert not state.can_cancel and not state.can_open_join_page


def test_a_cancelled_registration_counts_as_none(user):
    webinar = WebinarPageFactory()
    services.cancel_registration(services.register(webinar, user), user=user)
    state = queries.registration_state(webinar, user)
    assert state.registration is None and state.can_register


@pytest.mark.parametrize(
    "status, webinar_status, minutes_to_start, join_url, expected",
    [
        ("waitlisted", "scheduled", 5, "https://zoom.example.org/j/1", "not_confirmed"),
        ("confirmed", "cancelled", 5, "https://zoom.example.org/j/1", "cancelled"),
        ("confirmed", "scheduled", 45, "https://zoom.example.org/j/1", "too_early"),
        ("confirmed", "scheduled", -120, "https://zoom.example.org/j/1", "ended"),
        ("confirmed", "scheduled", 5, "", "no_link"),
        ("confirmed", "scheduled", 5, "https://zoom.example.org/j/1", "open"),
    ],
)
def test_join_state(user, status, webinar_status, minutes_to_start, join_url, expected):
    start = timezone.now() + timedelta(minutes=minutes_to_start)
    webinar = WebinarPageFactory(start=start, end=start + timedelta(minutes=60), join_url=join_url)
    webinar.status = WebinarPage.Status(webinar_status)
    registration = Registration(webinar=webinar, user=user, status=status)
    assert services.join_state(registration) == expected
