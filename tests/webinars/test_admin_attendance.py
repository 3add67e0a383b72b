"""The organizer's attendance import screens: upload, preview, apply, re-send; who may."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from learning.models import Certificate
from webinars import services
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import AttendanceImport, Registration

pytestmark = pytest.mark.django_db

HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"


def report(*rows):
    body = "".join(f"{name},{email},,,{minutes}\n" for name, email, minutes in rows)
    return SimpleUploadedFile("zoom.csv", (HEADER + body).encode(), content_type="text/csv")


def organizer_user():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    return user


@pytest.fixture
def organizer():
    return organizer_user()


@pytest.fixture
def webinar(organizer):
    series = WebinarSeriesPageFactory(organizers=[organizer])
    start = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    return WebinarPageFactory(
        parent=series, start=start, end=start + timedelta(minutes=90), platform="bigbluebutton"
    )


@pytest.fixture
def people(webinar):
    return {
        key: RegistrationFactory(
            webinar=webinar,
            user=UserFactory(email=f"{key}@example.org", profile__full_name=name),
        )
        for key, name in [("ana", "Ana Lima"), ("bo", "Bo Chen"), ("zoe", "Zoé Martin")]
    }


def url(name, *args):
    return reverse(f"webinar_admin:{name}", args=args)


def test_organizer_previews_confirms_a_name_match_applies_and_re_sends(
    client, organizer, webinar, people, mailoutbox, django_capture_on_commit_callbacks
):
    services.mark_attendance(people["bo"], organizer, attended=True)
    services.send_follow_up(webinar, organizer)
    mailoutbox.clear()
    client.force_login(organizer)

    page = client.get(url("attendance", webinar.pk)).content.decode()
    assert "<code>Name (Original Name)</code>" in page  # Zoom's columns are listed
    assert "<code>Participant ID (UPN)</code>" in page  # and Teams'

    response = client.post(
        url("attendance", webinar.pk),
        {
            "platform": "zoom",
            "report": report(("Ana Lima", "ana@example.org", 90), ("ZOE  MARTIN", "", 80)),
        },
    )
    pending = AttendanceImport.objects.get(webinar=webinar)
    assert response["Location"] == url("attendance_preview", webinar.pk, pending.pk)
    preview = client.get(response["Location"]).content.decode()
    assert "ZOE  MARTIN" in preview and "zoe@example.org" in preview  # to confirm
    assert preview.count("Becomes attended") == 2
    assert Registration.objects.filter(webinar=webinar, attended=True).count() == 1

    # Turning the name match down updates the preview; nothing is applied yet.
    preview = client.post(response["Location"], {"action": "preview"}).content.decode()
    assert preview.count("Becomes attended") == 1
    assert not Certificate.objects.filter(user=people["ana"].user).exists()

    # Applied with the name match still unticked.
    applied = client.post(response["Location"], {"action": "apply"}).content.decode()
    assert "Ana Lima" in applied and "Zoé Martin" not in applied
    assert Certificate.objects.filter(user=people["ana"].user, revoked_at=None).count() == 1
    assert client.get(url("attendance", webinar.pk)).context["form"]["platform"].value() == "zoom"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("follow_up", webinar.pk), {"registration": [str(people["ana"].pk)]}
        )
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


def test_a_confirmed_name_match_counts(client, organizer, webinar, people):
    client.force_login(organizer)
    client.post(
        url("attendance", webinar.pk),
        {"platform": "zoom", "report": report(("zoe martin", "", 90))},
    )
    pending = AttendanceImport.objects.get(webinar=webinar)
    record = pending.records.get()
    response = client.post(
        url("attendance_preview", webinar.pk, pending.pk),
        {"action": "apply", "confirm": [str(record.pk)]},
    )
    assert "1 person changed" in response.content.decode()
    people["zoe"].refresh_from_db()
    assert people["zoe"].attended is True


def test_the_match_list_shows_names_with_emails(client, organizer, webinar, people):
    services.import_attendance(
        webinar,
        organizer,
        platform="zoom",
        file=(HEADER + "Somebody Else,else@example.net,,,90\n").encode(),
    )
    client.force_login(organizer)
    page = client.get(url("attendance", webinar.pk)).content.decode()
    assert "Zoé Martin &lt;zoe@example.org&gt;" in page


def test_an_unreadable_report_is_refused_and_nothing_is_kept(client, organizer, webinar):
    client.force_login(organizer)
    response = client.post(
        url("attendance", webinar.pk),
        {"platform": "zoom", "report": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")},
    )
    assert response.status_code == 200
    assert "import screen lists the columns" in response.content.decode()
    assert not AttendanceImport.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organizer_can_neither_preview_nor_apply(
    client, organizer, webinar, people, method
):
    pending = services.read_attendance_report(
        webinar,
        organizer,
        platform="zoom",
        file=(HEADER + "Ana Lima,ana@example.org,,,90\n").encode(),
    )
    other = organizer_user()
    WebinarSeriesPageFactory(organizers=[other])
    client.force_login(other)

    response = getattr(client, method)(
        url("attendance_preview", webinar.pk, pending.pk), {"action": "apply"}
    )

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.applied_at is None
    assert not Registration.objects.filter(webinar=webinar, attended=True).exists()


def test_a_learner_cannot_reach_the_preview(client, organizer, webinar, people, user):
    pending = services.read_attendance_report(
        webinar,
        organizer,
        platform="zoom",
        file=(HEADER + "Ana Lima,ana@example.org,,,90\n").encode(),
    )
    client.force_login(user)
    response = client.post(url("attendance_preview", webinar.pk, pending.pk), {"action": "apply"})
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.applied_at is None


def test_an_applied_import_cannot_be_applied_twice(client, organizer, webinar, people):
    pending = services.read_attendance_report(
        webinar,
        organizer,
        platform="zoom",
        file=(HEADER + "Ana Lima,ana@example.org,,,90\n").encode(),
    )
    services.apply_attendance_import(pending, organizer)
    client.force_login(organizer)
    response = client.post(url("attendance_preview", webinar.pk, pending.pk), {"action": "apply"})
    assert response.status_code == 404


def test_marking_absent_revokes_and_attended_again_issues_a_new_certificate(
    client, organizer, webinar, people
):
    services.mark_attendance(people["ana"], organizer, attended=True)
    services.send_follow_up(webinar, organizer)
    client.force_login(organizer)
    action = url("registration_action", webinar.pk, people["ana"].pk)

    response = client.post(action, {"action": "absent"}, follow=True)

    assert "Certificates issued: 0; revoked: 1." in response.content.decode()
    certificate = Certificate.objects.get(user=people["ana"].user)
    assert certificate.is_revoked and webinar.title in certificate.revoked_reason

    response = client.post(action, {"action": "attended"}, follow=True)

    assert "Certificates issued: 1; revoked: 0." in response.content.decode()
    new = Certificate.objects.get(user=people["ana"].user, revoked_at=None)
    assert new.code != certificate.code
    client.logout()
    old_page = client.get(certificate.get_verification_path()).content.decode()
    assert "This certificate has been revoked." in old_page and webinar.title in old_page
    new_page = client.get(new.get_verification_path()).content.decode()
    assert "This certificate is valid." in new_page


def test_an_administrators_revocation_is_not_undone_by_a_correction(
    client, organizer, webinar, people
):
    ana = report(("Ana Lima", "ana@example.org", 90))
    services.import_attendance(webinar, organizer, platform="zoom", file=ana)
    services.mark_attendance(people["bo"], organizer, attended=True)
    services.send_follow_up(webinar, organizer)
    client.force_login(UserFactory(is_superuser=True))
    for key in ("ana", "bo"):
        certificate = Certificate.objects.get(user=people[key].user)
        response = client.post(
            reverse("certificates:revoke", args=[certificate.pk]),
            {"revoked_reason": "Attendance obtained by fraud"},
        )
        assert response.status_code == 302
    services.import_attendance(
        webinar, organizer, platform="zoom", file=report(("Zoé Martin", "zoe@example.org", 90))
    )
    client.force_login(organizer)

    # A corrected report that has Ana again: the preview and the result say so.
    response = client.post(
        url("attendance", webinar.pk),
        {"platform": "zoom", "report": report(("Ana Lima", "ana@example.org", 90))},
    )
    preview = client.get(response["Location"]).content.decode()
    assert "Becomes attended" in preview
    assert "revoked by an administrator; not re-issued" in preview
    applied = client.post(response["Location"], {"action": "apply"}).content.decode()
    assert "revoked by an administrator; not re-issued" in applied

    # Marking Bo absent, then attended again, on the registrations screen.
    action = url("registration_action", webinar.pk, people["bo"].pk)
    client.post(action, {"action": "absent"})
    response = client.post(action, {"action": "attended"}, follow=True)
    assert "Certificates revoked by an administrator, not re-issued: 1." in (
        response.content.decode()
    )

    for key in ("ana", "bo"):
        certificate = Certificate.objects.filter(user=people[key].user).get()  # no new one
        assert certificate.is_revoked
        assert certificate.revoked_reason == "Attendance obtained by fraud"


def test_another_organizer_cannot_mark_and_the_certificate_stays(
    client, organizer, webinar, people
):
    services.mark_attendance(people["ana"], organizer, attended=True)
    services.send_follow_up(webinar, organizer)
    other = organizer_user()
    WebinarSeriesPageFactory(organizers=[other])
    client.force_login(other)

    response = client.post(
        url("registration_action", webinar.pk, people["ana"].pk), {"action": "absent"}
    )

    assert response.status_code == 404
    people["ana"].refresh_from_db()
    assert people["ana"].attended is True
    assert not Certificate.objects.get(user=people["ana"].user).is_revoked
