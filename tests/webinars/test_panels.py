from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import demo as learning_demo
from learning.factories import UserFactory
from learning.models import Certificate
from webinars import demo, services
from webinars.factories import RegistrationFactory, WebinarPageFactory
from webinars.models import Registration, WebinarPage, WebinarSeriesPage

pytestmark = pytest.mark.django_db


def test_home_page_lists_upcoming_webinars(client):
    upcoming = WebinarPageFactory()
    start = timezone.now() - timedelta(days=3)
    past = WebinarPageFactory(start=start, end=start + timedelta(hours=1))

    body = client.get("/").content.decode()

    assert "Upcoming webinars" in body
    assert upcoming.title in body
    assert past.title not in body


def test_dashboard_shows_my_webinars_and_past_attendance_with_certificates(
    client, user, django_assert_max_num_queries
):
    upcoming = WebinarPageFactory()
    registration = services.register(upcoming, user)
    start = timezone.now() - timedelta(days=3)
    past = WebinarPageFactory(start=start, end=start + timedelta(hours=1))
    RegistrationFactory(webinar=past, user=user, attended=True)
    organizer = UserFactory(is_superuser=True)
    services.send_follow_up(past, organizer)
    for _ in range(5):
        other = WebinarPageFactory(start=start, end=start + timedelta(hours=1))
        RegistrationFactory(webinar=other, user=user, attended=False)
    certificate = Certificate.objects.get(user=user, kind=Certificate.Kind.WEBINAR)
    client.force_login(user)

    with django_assert_max_num_queries(40):
        body = client.get(reverse("learning:dashboard")).content.decode()

    assert "My upcoming webinars" in body and upcoming.title in body
    assert reverse("webinars:join", args=[registration.token]) in body
    assert upcoming.join_url not in body
    assert reverse("webinars:personal_ics", args=[user.webinar_calendar_feed.token]) in body
    assert "Past webinars" in body and past.title in body
    assert reverse("learning:certificate_pdf", args=[certificate.code]) in body


def test_demo_builder_creates_the_km4b_series_once(db):
    context = learning_demo.DemoContext(
        home_page=learning_demo.build_home_page(), users=learning_demo.build_users()
    )
    demo.build_demo_webinars(context)
    counts = (WebinarPage.objects.count(), Registration.objects.count())
    demo.build_demo_webinars(context)

    series = WebinarSeriesPage.objects.get(slug=demo.SERIES_SLUG)
    assert series.show_in_menus and context.users["organizer"] in series.organizers.all()
    assert (WebinarPage.objects.count(), Registration.objects.count()) == counts
    now = timezone.now()
    sessions = list(series.sessions())
    assert len(sessions) >= 5
    assert all(s.recording_url for s in sessions if s.end < now)
    assert all(s.capacity for s in sessions if s.start > now)
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).exists()
    countries = {link.speaker.country.code for s in sessions for link in s.speaker_links.all()}
    assert len(countries) >= 4


def test_my_learning_offers_join_now_only_while_the_window_is_open(client, user):
    soon = timezone.now() + timedelta(minutes=10)
    open_now = WebinarPageFactory(title="Open now", start=soon, end=soon + timedelta(hours=1))
    later = WebinarPageFactory(title="Next week")
    waiting = WebinarPageFactory(title="Full one", start=soon, end=soon + timedelta(hours=1))
    joinable = RegistrationFactory(webinar=open_now, user=user)
    not_yet = RegistrationFactory(webinar=later, user=user)
    waitlisted = RegistrationFactory(webinar=waiting, user=user, status="waitlisted")
    client.force_login(user)

    body = client.get(reverse("learning:dashboard")).content.decode()

    assert body.count("Join now on Zoom") == 1
    assert f'action="{reverse("webinars:join", args=[joinable.token])}"' in body
    assert f'href="{reverse("webinars:join", args=[not_yet.token])}"' in body
    assert reverse("webinars:join", args=[waitlisted.token]) not in body
    for webinar in (open_now, later, waiting):
        assert webinar.join_url not in body
