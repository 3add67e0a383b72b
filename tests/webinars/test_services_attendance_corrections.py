"""Certificates follow attendance corrections: a corrected report, a row matched by hand,
a manual mark. Expectations are counted by hand from the reports below."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from learning import services as learning_services
from learning.certificates import status_list
from learning.factories import UserFactory
from learning.models import Certificate
from webinars import services
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import AttendanceImport, AttendanceRecord, Registration

pytestmark = pytest.mark.django_db

HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"


def zoom_report(*rows):
    """``rows``: (name, email, minutes)."""
    lines = [
        f"{name},{email},11/20/2026 01:00:00 PM,11/20/2026 02:30:00 PM,{minutes}\n"
        for name, email, minutes in rows
    ]
    return (HEADER + "".join(lines)).encode()


def row(number, minutes=90):
    return (f"Person {number}", f"p{number}@example.org", minutes)


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def series(organizer):
    return WebinarSeriesPageFactory(organizers=[organizer], certificate_sessions_required=2)


def past_webinar(series, days_ago):
    start = (timezone.now() - timedelta(days=days_ago)).replace(microsecond=0)
    return WebinarPageFactory(parent=series, start=start, end=start + timedelta(minutes=90))


@pytest.fixture
def people(series):
    """Ten registrants of the second session, all of whom attended the first one."""
    first, second = past_webinar(series, 12), past_webinar(series, 5)
    people = {}
    for number in range(1, 11):
        user = UserFactory(
            email=f"p{number}@example.org",
            username=f"p{number}@example.org",
            profile__full_name=f"Person {number}",
        )
        RegistrationFactory(webinar=first, user=user, attended=True)
        people[number] = RegistrationFactory(webinar=second, user=user)
    return people


def live(kind):
    return Certificate.objects.filter(kind=kind, revoked_at__isnull=True)


def numbers(registrations):
    return sorted(int(r.user.email[1:].split("@")[0]) for r in registrations)


def test_a_corrected_report_revokes_what_is_no_longer_due_and_issues_what_is(organizer, people):
    webinar = people[1].webinar
    services.import_attendance(
        webinar, organizer, platform="zoom", file=zoom_report(*[row(n) for n in range(1, 9)])
    )
    assert services.send_follow_up(webinar, organizer) == 10
    assert live(Certificate.Kind.WEBINAR).count() == 8
    assert live(Certificate.Kind.SERIES).count() == 8

    # The corrected report: 1 and 2 stay, 3-8 drop out (one of them stayed 20 minutes,
    # below the threshold), 9 and 10 are added.
    corrected = zoom_report(row(1), row(2), row(3, minutes=20), row(9), row(10))
    report = services.read_attendance_report(webinar, organizer, platform="zoom", file=corrected)
    preview = services.attendance_changes(report, organizer)

    assert numbers(c.registration for c in preview if c.stops_attended) == [3, 4, 5, 6, 7, 8]
    assert numbers(c.registration for c in preview if c.becomes_attended) == [9, 10]
    assert sum(len(c.revoked) for c in preview) == 12  # 6 webinar + 6 series certificates
    assert sum(len(c.issued) for c in preview) == 4  # 2 webinar + 2 series certificates
    # The preview changed nothing.
    assert live(Certificate.Kind.WEBINAR).count() == 8
    assert Certificate.objects.count() == 16
    assert Registration.objects.filter(webinar=webinar, attended=True).count() == 8

    changes = services.apply_attendance_import(report, organizer)

    assert [(len(c.issued), len(c.revoked)) for c in changes if c.becomes_attended] == [
        (2, 0),
        (2, 0),
    ]
    revoked = Certificate.objects.filter(revoked_at__isnull=False)
    assert revoked.filter(kind=Certificate.Kind.WEBINAR).count() == 6
    assert revoked.filter(kind=Certificate.Kind.SERIES).count() == 6
    assert numbers(c for c in revoked.filter(kind=Certificate.Kind.WEBINAR)) == [3, 4, 5, 6, 7, 8]
    assert all(webinar.title in c.revoked_reason for c in revoked)
    assert all(c.revoked_by == organizer for c in revoked)
    assert numbers(live(Certificate.Kind.WEBINAR)) == [1, 2, 9, 10]
    assert numbers(live(Certificate.Kind.SERIES)) == [1, 2, 9, 10]
    assert Certificate.objects.count() == 20  # 16 before, 4 new: nothing issued twice
    assert AttendanceImport.objects.filter(webinar=webinar).count() == 1

    # Applying the same report again is refused; importing it again changes nothing.
    with pytest.raises(services.RegistrationError):
        services.apply_attendance_import(report, organizer)
    again = services.read_attendance_report(webinar, organizer, platform="zoom", file=corrected)
    assert services.apply_attendance_import(again, organizer) == []
    assert Certificate.objects.count() == 20


def test_the_re_sent_after_event_emails_reach_only_the_people_named(
    organizer, people, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = people[1].webinar
    services.import_attendance(
        webinar, organizer, platform="zoom", file=zoom_report(row(1), row(2))
    )
    services.send_follow_up(webinar, organizer)
    mailoutbox.clear()
    report = services.read_attendance_report(
        webinar, organizer, platform="zoom", file=zoom_report(row(1), row(3))
    )
    changes = services.apply_attendance_import(report, organizer)
    changed = [change.registration.pk for change in changes]

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_follow_up(webinar, organizer, registration_ids=changed) == 2
    assert sorted(message.to[0] for message in mailoutbox) == [
        "p2@example.org",
        "p3@example.org",
    ]
    newcomer = next(m for m in mailoutbox if m.to == ["p3@example.org"])
    code = live(Certificate.Kind.WEBINAR).get(user=people[3].user).code
    assert code in newcomer.body


def test_a_name_without_email_matches_a_registrant_and_can_be_turned_down(organizer, people):
    webinar = people[1].webinar
    people[9].user.profile.full_name = "José  da Silva"
    people[9].user.profile.save()
    report_bytes = zoom_report(row(1), ("  JOSE DA SILVA ", "", 90), ("Person 1", "", 30))
    report = services.read_attendance_report(webinar, organizer, platform="zoom", file=report_bytes)
    by_name = report.records.get(name="JOSE DA SILVA")
    assert by_name.registration == people[9]
    assert by_name.matched_by == AttendanceRecord.MatchedBy.NAME

    services.apply_attendance_import(report, organizer, rejected_name_matches=[by_name.pk])

    by_name.refresh_from_db()
    people[9].refresh_from_db()
    assert by_name.registration is None
    assert people[9].attended is False
    # "Person 1" without email also matched by name: their minutes add up.
    people[1].refresh_from_db()
    assert people[1].attended_minutes == 120


def test_a_name_shared_by_two_registrants_matches_neither(organizer, people):
    webinar = people[1].webinar
    for number in (4, 5):
        people[number].user.profile.full_name = "Sam Lee"
        people[number].user.profile.save()
    report = services.read_attendance_report(
        webinar, organizer, platform="zoom", file=zoom_report(("sam lee", "", 90))
    )
    assert report.records.get().registration is None


def status_bit(certificate):
    number, index = status_list.position(certificate)
    return (status_list.bitstring(number)[index // 8] >> (7 - index % 8)) & 1


def test_unmarking_revokes_and_marking_again_issues_a_new_certificate(organizer, people):
    webinar = people[1].webinar
    services.mark_attendance(people[1], organizer, attended=True)
    services.send_follow_up(webinar, organizer)
    certificate = live(Certificate.Kind.WEBINAR).get()
    assert live(Certificate.Kind.SERIES).count() == 1
    assert status_bit(certificate) == 0

    services.mark_attendance(people[1], organizer, attended=False)
    certificate.refresh_from_db()
    assert certificate.is_revoked and webinar.title in certificate.revoked_reason
    assert certificate.revoked_by_correction
    assert live(Certificate.Kind.SERIES).count() == 0
    assert status_bit(certificate) == 1

    change = services.mark_attendance(people[1], organizer, attended=True)
    new = live(Certificate.Kind.WEBINAR).get()
    assert new.pk != certificate.pk and new.code != certificate.code
    assert sorted(c.kind for c in change.issued) == ["series", "webinar"]
    assert change.blocked == []
    # The old one stays revoked, with its reason, and its status-list bit stays set.
    certificate.refresh_from_db()
    assert certificate.is_revoked and webinar.title in certificate.revoked_reason
    assert status_bit(certificate) == 1 and status_bit(new) == 0
    assert live(Certificate.Kind.SERIES).count() == 1
    assert Certificate.objects.count() == 4  # webinar and series, each revoked and re-issued

    # Revoked again and due again: a third one, never a revived one.
    services.mark_attendance(people[1], organizer, attended=False)
    services.mark_attendance(people[1], organizer, attended=True)
    third = live(Certificate.Kind.WEBINAR).get()
    assert third.pk not in (certificate.pk, new.pk)
    assert Certificate.objects.filter(kind=Certificate.Kind.WEBINAR).count() == 3
    assert status_bit(certificate) == 1 and status_bit(new) == 1


def test_an_administrators_revocation_blocks_re_issue(organizer, people):
    webinar = people[1].webinar
    services.import_attendance(webinar, organizer, platform="zoom", file=zoom_report(row(1)))
    services.send_follow_up(webinar, organizer)
    certificate = live(Certificate.Kind.WEBINAR).get()
    administrator = UserFactory(is_superuser=True)
    learning_services.revoke_certificate(
        certificate, reason="Someone else attended in their name", user=administrator
    )
    services.import_attendance(webinar, organizer, platform="zoom", file=zoom_report(row(2, 5)))
    assert live(Certificate.Kind.SERIES).count() == 0  # revoked by the correction

    report = services.read_attendance_report(
        webinar, organizer, platform="zoom", file=zoom_report(row(1))
    )
    preview = services.attendance_changes(report, organizer)
    changes = services.apply_attendance_import(report, organizer)

    for result in (preview, changes):
        (change,) = [c for c in result if c.registration.pk == people[1].pk]
        assert [c.pk for c in change.blocked] == [certificate.pk]
        assert [c.kind for c in change.issued] == ["series"]  # a correction revoked that one
    assert not live(Certificate.Kind.WEBINAR).exists()
    assert Certificate.objects.filter(kind=Certificate.Kind.WEBINAR).count() == 1
    certificate.refresh_from_db()
    assert certificate.is_revoked and not certificate.revoked_by_correction
    assert certificate.revoked_reason == "Someone else attended in their name"
    assert status_bit(certificate) == 1


def test_before_the_after_event_emails_a_correction_issues_nothing(organizer, people):
    webinar = people[1].webinar
    services.import_attendance(webinar, organizer, platform="zoom", file=zoom_report(row(1)))
    services.mark_attendance(people[2], organizer, attended=True)
    assert Certificate.objects.count() == 0


def test_someone_else_can_neither_preview_nor_apply(organizer, people):
    webinar = people[1].webinar
    report = services.read_attendance_report(
        webinar, organizer, platform="zoom", file=zoom_report(row(1))
    )
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.read_attendance_report(
            webinar, stranger, platform="zoom", file=zoom_report(row(2))
        )
    with pytest.raises(PermissionDenied):
        services.attendance_changes(report, stranger)
    with pytest.raises(PermissionDenied):
        services.apply_attendance_import(report, stranger)
    report.refresh_from_db()
    assert report.applied_at is None
    assert not Registration.objects.filter(attended=True, webinar=webinar).exists()
