"""A person whose private calendar address leaked replaces it; the old one stops working
(issue 18, item 9)."""

import pytest
from django.urls import reverse

from learning.factories import UserFactory
from webinars import services
from webinars.factories import WebinarPageFactory
from webinars.models import CalendarFeed

pytestmark = pytest.mark.django_db
REPLACE = reverse("webinars:replace_calendar_feed")


def _feed_url(feed):
    return reverse("webinars:personal_ics", args=[feed.token])


def test_replacing_the_address_retires_the_old_one(client):
    user = UserFactory()
    services.register(WebinarPageFactory(title="KM4B: Knowledge hubs"), user, {})
    old = services.calendar_feed_for(user).token
    client.force_login(user)

    response = client.post(REPLACE, follow=True)

    new = CalendarFeed.objects.get(user=user).token
    assert new != old and len(new) >= 32
    assert "old one no longer works" in response.content.decode()
    assert new in response.content.decode() and old not in response.content.decode()
    client.logout()  # a calendar application has no session
    assert client.get(reverse("webinars:personal_ics", args=[old])).status_code == 404
    fresh = client.get(reverse("webinars:personal_ics", args=[new]))
    assert fresh.status_code == 200 and b"KM4B: Knowledge hubs" in fresh.content


def test_only_the_owner_replaces_and_only_by_post(client):
    owner, other = UserFactory(), UserFactory()
    token = services.calendar_feed_for(owner).token
    assert client.post(REPLACE).status_code == 302  # to the login page
    assert client.get(REPLACE).status_code == 405
    client.force_login(other)
    assert client.get(REPLACE).status_code == 405
    client.post(REPLACE)
    # The other person got their own new address; the owner's is untouched.
    assert CalendarFeed.objects.get(user=owner).token == token
    assert CalendarFeed.objects.filter(user=other).count() == 1


def test_a_person_without_a_feed_yet_gets_one():
    user = UserFactory()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert services.replace_calendar_feed(user).token
    assert CalendarFeed.objects.filter(user=user).count() == 1
