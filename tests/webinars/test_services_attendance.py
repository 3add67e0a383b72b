from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from learning.models import Certificate
from webinars import services
from webinars.attendance import parse_duration
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import AttendanceImport, AttendanceRecord, Registration

pytestmark = pytest.mark.django_db

ZOOM_REPORT = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
81234567890,KM4B,11/20/2026 01:00:00 PM,11/20/2026 02:30:00 PM,host@example.org,90,4

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Amina Diallo,AMINA@example.org,11/20/2026 01:00:12 PM,11/20/2026 01:40:00 PM,40,No,Y
Amina Diallo,amina@example.org,11/20/2026 01:45:00 PM,11/20/2026 02:30:00 PM,45,No,Y
Brief Visitor,brief@example.org,11/20/2026 01:00:00 PM,11/20/2026 01:20:00 PM,20,No,Y
Guest Phone,,11/20/2026 01:00:00 PM,11/20/2026 02:30:00 PM,90,Yes,Y
Other Address,personal@example.net,11/20/2026 01:00:00 PM,11/20/2026 02:20:00 PM,80,Yes,Y
"""

TEAMS_REPORT = (
    "1. Summary\n"
    "Meeting title\tKM4B\n"
    "Attended participants\t2\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Amina Diallo\t11/20/26, 1:00:12 PM\t11/20/26, 2:30:00 PM\t1h 25m 3s\t"
    "amina@example.org\tamina@example.org\tAttendee\n"
    "Brief Visitor\t11/20/26, 1:00:00 PM\t11/20/26, 1:20:00 PM\t20m\t"
    "brief@example.org\tbrief@example.org\tAttendee\n"
    "\n"
    "3. In-Meeting Activities\n"
    "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
    "Amina Diallo\t11/20/26, 1:00:12 PM\t11/20/26, 1:40:00 PM\t40m\tamina@example.org\tAttendee\n"
).encode("utf-16")

BBB_REPORT = """Name,Email,Moderator,Talk Time,Join,Left,Duration
Amina Diallo,amina@example.org,false,00:02:00,2026-11-20 13:00:12,2026-11-20 14:25:00,01:24:48
Brief Visitor,brief@example.org,false,00:00:00,2026-11-20 13:00:00,2026-11-20 13:20:00,00:20:00
"""


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def series(organizer):
    return WebinarSeriesPageFactory(organizers=[organizer], certificate_sessions_required=2)


def past_webinar(series, days_ago=5, **kwargs):
    start = (timezone.now() - timedelta(days=days_ago)).replace(microsecond=0)
    return WebinarPageFactory(
        parent=series, start=start, end=start + timedelta(minutes=90), **kwargs
    )


@pytest.fixture
def webinar(series):
    return past_webinar(series, recording_url="https://video.example.org/km4b-1")


@pytest.fixture
def people(webinar):
    names = {"amina": "amina@example.org", "brief": "brief@example.org", "absent": "no@example.org"}
    return {
        key: RegistrationFactory(webinar=webinar, user=UserFactory(email=email, username=email))
        for key, email in names.items()
    }


@pytest.mark.parametrize(
    ("platform", "report"),
    [
        ("zoom", ZOOM_REPORT.encode()),
        ("teams", TEAMS_REPORT),
        ("bigbluebutton", BBB_REPORT.encode()),
    ],
)
def test_import_sums_rows_per_person_and_applies_the_threshold(
    organizer, webinar, people, platform, report
):
    services.import_attendance(webinar, organizer, platform=platform, file=report)

    for registration in people.values():
        registration.refresh_from_db()
    assert people["amina"].attended is True
    assert people["amina"].attended_minutes == 85
    assert people["brief"].attended is False
    assert people["brief"].attended_minutes == 20
    assert people["absent"].attended is False
    assert people["absent"].attended_minutes == 0


def test_unmatched_rows_are_listed_and_can_be_matched_by_hand(organizer, webinar, people):
    report = services.import_attendance(
        webinar, organizer, platform="zoom", file=ZOOM_REPORT.encode(), file_name="zoom.csv"
    )

    unmatched = report.records.filter(registration__isnull=True)
    assert sorted(record.name for record in unmatched) == ["Guest Phone", "Other Address"]
    assert report.row_count == 5

    services.match_attendance_record(
        unmatched.get(name="Other Address"), people["absent"], organizer
    )
    people["absent"].refresh_from_db()
    assert people["absent"].attended is True
    assert people["absent"].attended_minutes == 80


def test_manual_marks_survive_a_new_import(organizer, webinar, people):
    services.mark_attendance(people["brief"], organizer, attended=True)
    services.import_attendance(webinar, organizer, platform="zoom", file=ZOOM_REPORT.encode())
    services.import_attendance(webinar, organizer, platform="zoom", file=ZOOM_REPORT.encode())

    people["brief"].refresh_from_db()
    assert people["brief"].attended is True
    assert AttendanceImport.objects.filter(webinar=webinar).count() == 1


@pytest.mark.parametrize(
    "report",
    [
        b"just,some,columns\n1,2,3\n",
        b"\x00\x81\xff binary",
        b"Name,User Email,Join Time,Duration (Minutes)\nA,a@example.org,,\n",
    ],
)
def test_unreadable_report_is_refused_and_nothing_is_written(organizer, webinar, people, report):
    with pytest.raises(services.RegistrationError):
        services.import_attendance(webinar, organizer, platform="zoom", file=report)
    assert not AttendanceImport.objects.exists()
    assert not AttendanceRecord.objects.exists()
    assert not Registration.objects.filter(attended__isnull=False).exists()


def test_only_organizers_of_the_series_import(webinar, people, user):
    with pytest.raises(PermissionDenied):
        services.import_attendance(webinar, user, platform="zoom", file=ZOOM_REPORT.encode())
    assert not AttendanceImport.objects.exists()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("75", 75), ("1:15:00", 75), ("01:15", 75), ("1h 15m", 75), ("75 mins", 75), ("", None)],
)
def test_parse_duration(text, minutes):
    assert parse_duration(text) == minutes


def test_follow_up_sends_certificates_to_attendees_and_catch_up_to_absentees(
    organizer, webinar, people, django_capture_on_commit_callbacks
):
    services.import_attendance(webinar, organizer, platform="zoom", file=ZOOM_REPORT.encode())

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_follow_up(webinar, organizer) == 3

    by_recipient = {message.to[0]: message for message in mail.outbox}
    attendee = by_recipient["amina@example.org"]
    absentee = by_recipient["no@example.org"]
    certificate = Certificate.objects.get(user=people["amina"].user)
    assert certificate.kind == Certificate.Kind.WEBINAR
    registration = people["amina"]
    registration.refresh_from_db()
    assert registration.attended_minutes
    assert certificate.minutes_attended == registration.attended_minutes  # printed wording
    assert certificate.get_verification_path() in attendee.body
    assert "https://video.example.org/km4b-1" in attendee.body
    assert "https://video.example.org/km4b-1" in absentee.body
    assert certificate.code not in absentee.body
    assert attendee.subject != absentee.subject
    assert not Certificate.objects.filter(user=people["brief"].user).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_follow_up(webinar, organizer) == 0
    assert mail.outbox == []


def test_series_certificate_after_attending_the_required_number_of_sessions(
    organizer, series, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    first, second = past_webinar(series, days_ago=9), past_webinar(series, days_ago=2)
    RegistrationFactory(webinar=first, user=learner, attended=True)
    services.send_follow_up(first, organizer)
    assert not Certificate.objects.filter(kind=Certificate.Kind.SERIES).exists()

    RegistrationFactory(webinar=second, user=learner, attended=True)
    services.send_follow_up(second, organizer)

    series_certificate = Certificate.objects.get(kind=Certificate.Kind.SERIES)
    assert series_certificate.user == learner
    assert series_certificate.title == series.title
    assert (series_certificate.sessions_attended, series_certificate.sessions_total) == (2, 2)
    assert Certificate.objects.filter(user=learner, kind=Certificate.Kind.WEBINAR).count() == 2


def test_follow_up_before_the_end_is_refused(organizer, series):
    upcoming = WebinarPageFactory(parent=series)
    with pytest.raises(services.RegistrationError, match="not ended"):
        services.send_follow_up(upcoming, organizer)


def test_attendance_upload_screen(client, organizer, webinar, people):
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    client.force_login(organizer)
    url = reverse("webinar_admin:attendance", args=[webinar.pk])

    bad = client.post(
        url, {"platform": "zoom", "report": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")}
    )
    good = client.post(
        url, {"platform": "zoom", "report": SimpleUploadedFile("r.csv", ZOOM_REPORT.encode())}
    )
    applied = client.post(good["Location"], {"action": "apply"})
    listing = client.get(url)

    assert bad.status_code == 200 and "No header row" in bad.content.decode()
    assert good.status_code == 302
    assert "amina@example.org" in applied.content.decode()
    assert "Guest Phone" in listing.content.decode()
