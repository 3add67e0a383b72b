import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from learning.factories import UserFactory
from webinars import calendar, services
from webinars.factories import WebinarPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def events(content):
    parsed = Calendar.from_ical(content)
    return parsed, list(parsed.walk("VEVENT"))


@pytest.fixture
def dst_webinars():
    # Europe/Paris leaves winter time on 28 March 2027: 10:00 local is 09:00Z before, 08:00Z after.
    before = WebinarPageFactory(
        start=datetime(2027, 3, 27, 10, tzinfo=PARIS), end=datetime(2027, 3, 27, 11, tzinfo=PARIS)
    )
    after = WebinarPageFactory(
        parent=before.get_parent(),
        start=datetime(2027, 3, 29, 10, tzinfo=PARIS),
        end=datetime(2027, 3, 29, 11, 30, tzinfo=PARIS),
    )
    return before, after


def test_webinar_ics_download_has_utc_times_across_a_dst_change(client, dst_webinars):
    before, after = dst_webinars

    _, [first] = events(client.get(reverse("webinars:webinar_ics", args=[before.pk])).content)
    response = client.get(reverse("webinars:webinar_ics", args=[after.pk]))
    _, [second] = events(response.content)

    assert response["Content-Type"].startswith("text/calendar")
    assert first.decoded("dtstart") == datetime(2027, 3, 27, 9, tzinfo=UTC)
    assert second.decoded("dtstart") == datetime(2027, 3, 29, 8, tzinfo=UTC)
    assert second.decoded("dtend") == datetime(2027, 3, 29, 9, 30, tzinfo=UTC)
    assert "Z" in first.to_ical().decode().split("DTSTART:")[1].split("\r\n")[0]
    assert before.join_url not in response.content.decode()


def test_series_feed_lists_every_session_with_stable_uids(client, dst_webinars):
    before, after = dst_webinars
    series = before.get_parent()

    body = client.get(reverse("webinars:series_ics", args=[series.pk])).content
    again = client.get(reverse("webinars:series_ics", args=[series.pk])).content

    parsed, found = events(body)
    assert parsed["X-WR-CALNAME"] == series.title
    assert [str(event["uid"]) for event in found] == [
        calendar.uid_for(before),
        calendar.uid_for(after),
    ]
    assert [str(e["uid"]) for e in events(again)[1]] == [str(e["uid"]) for e in found]
    assert before.join_url.encode() not in body


def test_confirmation_invitation_then_reschedule_bumps_sequence_then_cancel(
    dst_webinars, django_capture_on_commit_callbacks
):
    webinar, _ = dst_webinars
    user = UserFactory()
    organizer = UserFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(webinar, user)
    invitation, [event] = events(mail.outbox[-1].attachments[0][1])
    assert invitation["METHOD"] == "REQUEST"
    assert event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == f"mailto:{user.email}"
    assert event.decoded("dtstart") == datetime(2027, 3, 27, 9, tzinfo=UTC)
    assert calendar.join_link(registration) in str(event["DESCRIPTION"])
    assert webinar.join_url not in str(event["DESCRIPTION"])

    new_start = datetime(2027, 4, 3, 10, tzinfo=PARIS)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            webinar, start=new_start, end=new_start + timedelta(hours=1), user=organizer
        )
    moved, [moved_event] = events(mail.outbox[-1].attachments[0][1])
    assert moved["METHOD"] == "REQUEST"
    assert moved_event["UID"] == event["UID"]
    assert moved_event["SEQUENCE"] == 1
    assert moved_event.decoded("dtstart") == datetime(2027, 4, 3, 8, tzinfo=UTC)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration, user=user)
    cancelled, [cancelled_event] = events(mail.outbox[-1].attachments[0][1])
    assert cancelled["METHOD"] == "CANCEL"
    assert cancelled_event["UID"] == event["UID"]
    assert cancelled_event["STATUS"] == "CANCELLED"


def test_personal_feed_at_a_secret_url_lists_only_the_users_registrations(client, dst_webinars):
    before, after = dst_webinars
    user, other = UserFactory(), UserFactory()
    services.register(before, user)
    services.register(after, other)
    feed = services.calendar_feed_for(user)

    response = client.get(reverse("webinars:personal_ics", args=[feed.token]))

    _, found = events(response.content)
    assert [str(e["uid"]) for e in found] == [calendar.uid_for(before)]
    assert "no-store" in response["Cache-Control"]
    assert before.join_url not in response.content.decode()
    assert client.get(reverse("webinars:personal_ics", args=["guess"])).status_code == 404


def test_waitlisted_registration_is_tentative_in_the_personal_feed(client):
    webinar = WebinarPageFactory(capacity=0)
    user = UserFactory()
    assert services.register(webinar, user).status == Registration.Status.WAITLISTED
    feed = services.calendar_feed_for(user)
    _, [event] = events(client.get(reverse("webinars:personal_ics", args=[feed.token])).content)
    assert event["STATUS"] == "TENTATIVE"
