"""Privacy: consent at sign-up, a person's data as JSON, erasure that leaves no trace of
them, retention, and the staff audit log (issue 18, "Privacy")."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning.factories import CertificateFactory, UserFactory
from learning.models import AuditEntry, H5PUserData, XAPIStatement
from learning.privacy.services import apply_retention, erase_account, personal_data
from tests.fixtures_h5p_play import statement
from webinars.factories import RegistrationFactory, RegistrationQuestionFactory, WebinarPageFactory
from webinars.models import AttendanceImport, AttendanceRecord, Registration

pytestmark = pytest.mark.django_db

FULL_NAME = "Aminata Zongo-Kaboré"
EMAIL = "aminata.zongo@example.bf"
ANSWER = "Ministère de l'Environnement, point focal CHM"


@pytest.fixture
def person(activity_page, quick_check_content, client):
    """Someone with data in every corner: profile, an answered registration of a past
    webinar and a seat at a full upcoming one, attendance rows, an xAPI statement, a
    saved H5P state and a certificate."""
    user = UserFactory(email=EMAIL, username=EMAIL, first_name="Aminata", last_name="Zongo")
    user.profile.full_name = FULL_NAME
    user.profile.country = "BF"
    user.profile.save()
    now = timezone.now()
    past = WebinarPageFactory(
        start=now - timedelta(days=30), end=now - timedelta(days=30, hours=-1)
    )
    question = RegistrationQuestionFactory(page=past, label="Organisation")
    registration = RegistrationFactory(
        webinar=past, user=user, answers={str(question.pk): ANSWER}, attended=True
    )
    report = AttendanceImport.objects.create(webinar=past, platform="zoom", row_count=2)
    AttendanceRecord.objects.create(
        attendance_import=report, registration=registration, name=FULL_NAME, email=EMAIL, minutes=55
    )
    AttendanceRecord.objects.create(
        attendance_import=report, name="A. Zongo (tablet)", email=EMAIL.upper(), minutes=5
    )
    upcoming = WebinarPageFactory(
        start=now + timedelta(days=3), end=now + timedelta(days=3, hours=1), capacity=1
    )
    RegistrationFactory(webinar=upcoming, user=user)
    waiting = RegistrationFactory(webinar=upcoming, status=Registration.Status.WAITLISTED)
    client.force_login(user)
    body = statement(activity_page, quick_check_content, verb="answered", raw=1)
    assert client.post(
        "/learning/xapi/statements/", json.dumps(body), content_type="application/json"
    ).status_code in (200, 204)
    H5PUserData.objects.create(
        user=user,
        content=quick_check_content,
        page=activity_page,
        version=quick_check_content.current_version,
        data_type="state",
        data=json.dumps({"answer": FULL_NAME}),
    )
    certificate = CertificateFactory(user=user, recipient_name=FULL_NAME)
    client.logout()
    return {
        "user": user,
        "registration": registration,
        "upcoming": upcoming,
        "waiting": waiting,
        "certificate": certificate,
    }


def test_sign_up_needs_consent_and_records_it(client):
    form = {
        "email": "consent@example.org",
        "password1": "a-long-Passphrase-7",
        "password2": "a-long-Passphrase-7",
        "full_name": "Consent Person",
        "preferred_language": "fr",
    }
    response = client.post(reverse("account_signup"), form)
    assert response.status_code == 200
    assert "privacy notice" in response.content.decode()
    assert not get_user_model().objects.filter(email="consent@example.org").exists()

    response = client.post(reverse("account_signup"), {**form, "privacy_consent": "on"})
    assert response.status_code == 302
    profile = get_user_model().objects.get(email="consent@example.org").profile
    assert profile.privacy_notice_version
    assert profile.privacy_consented_at is not None


def test_the_privacy_notice_is_public(client):
    response = client.get(reverse("learning:privacy_notice"))
    assert response.status_code == 200
    assert reverse("learning:privacy_notice") in client.get("/accounts/login/").content.decode()


def test_a_person_downloads_all_their_data(client, person):
    client.force_login(person["user"])
    response = client.get(reverse("learning:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert data["account"]["profile"]["full_name"] == FULL_NAME
    assert data["account"]["xapi_statements"]
    assert data["account"]["h5p_saved_state"]
    assert data["account"]["certificates"][0]["code"] == person["certificate"].code
    answers = [r["answers"] for r in data["webinars"]["registrations"]]
    assert any(ANSWER in a.values() for a in answers)
    assert {row["minutes"] for row in data["webinars"]["attendance_report_rows"]} == {55, 5}
    # no secrets: join tokens are keys, not data
    assert person["registration"].token not in response.content.decode()
    # the person's own export is not a staff action
    assert not AuditEntry.objects.exists()


def test_the_data_download_needs_a_login(client):
    response = client.get(reverse("learning:my_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_erasure_needs_the_password(client, person):
    client.force_login(person["user"])
    response = client.post(
        reverse("learning:erase_account"), {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "not your password" in response.content.decode()
    assert get_user_model().objects.get(pk=person["user"].pk).email == EMAIL


def _everything(tmp_path):
    """The whole database as JSON, and every stored file's bytes."""
    out = io.StringIO()
    call_command("dumpdata", "--all", stdout=out)

    files = []
    for root in (settings.MEDIA_ROOT, settings.STORAGES["learning_private"]["OPTIONS"]["location"]):
        files += [
            p.read_bytes().decode("utf-8", "replace") for p in Path(root).rglob("*") if p.is_file()
        ]
    return out.getvalue() + "\n".join(files)


def test_erasure_leaves_no_trace_and_keeps_counts_and_verification(client, person, tmp_path):
    user = person["user"]
    before = _everything(tmp_path)
    for needle in (EMAIL, FULL_NAME, ANSWER, "Zongo"):
        assert needle.lower() in before.lower(), needle  # the check can fail

    client.force_login(user)
    response = client.post(
        reverse("learning:erase_account"),
        {"password": "demo-pass-2026", "confirm": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    after = _everything(tmp_path)
    for needle in (EMAIL, FULL_NAME, ANSWER, "Zongo", "Aminata"):
        assert needle.lower() not in after.lower(), needle
    assert "erased" in after  # the anonymous account row stays

    # what was counted stays counted
    registration = Registration.objects.get(pk=person["registration"].pk)
    assert registration.attended is True and registration.answers == {}
    assert AttendanceRecord.objects.filter(registration=registration, minutes=55).exists()
    assert XAPIStatement.objects.filter(user=user).exists()
    assert not H5PUserData.objects.filter(user=user).exists()
    # the seat at the upcoming webinar went to the next person
    assert Registration.objects.get(pk=person["waiting"].pk).status == "confirmed"
    assert not Registration.objects.filter(
        webinar=person["upcoming"], user=user, status="confirmed"
    ).exists()
    assert not any(EMAIL in message.to for message in mail.outbox[-2:])
    # the certificate verifies, issued to an erased account
    page = client.get(
        reverse("learning:certificate_verify", args=[person["certificate"].code])
    ).content.decode()
    assert "Issued to an erased account" in page
    # nobody can log in as them any more
    assert not client.login(username=EMAIL, password="demo-pass-2026")
    assert AuditEntry.objects.filter(action="erase").count() == 1


def test_an_administrator_erases_on_request_and_it_is_audited(person, admin_user):
    erase_account(person["user"], by=admin_user)
    entry = AuditEntry.objects.get(action="erase")
    assert entry.actor == admin_user and entry.subject is None


def test_retention_clears_old_answers_and_attendance_details_only(person):
    assert apply_retention(days=400)["webinars"] == 0
    changed = apply_retention(days=10)
    assert changed["webinars"] >= 2
    registration = Registration.objects.get(pk=person["registration"].pk)
    assert registration.answers == {} and registration.attended is True
    rows = AttendanceRecord.objects.filter(attendance_import__webinar=registration.webinar)
    assert set(rows.values_list("name", flat=True)) == {""}
    assert sorted(rows.values_list("minutes", flat=True)) == [5, 55]
    assert personal_data(person["user"])["account"]["email"] == EMAIL  # accounts stay
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Retention (365 days)" in out.getvalue()


def test_staff_actions_on_people_are_in_the_audit_log(client, person, admin_user):
    from learning.services import revoke_certificate

    revoke_certificate(person["certificate"], reason="Attendance corrected", user=admin_user)
    client.force_login(admin_user)
    export = reverse("webinar_admin:export", args=[person["registration"].webinar.pk])
    assert client.get(export).status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"revoke", "export"} <= actions
    listing = client.get("/admin/audit-log/")
    assert listing.status_code == 200
    assert person["certificate"].code in listing.content.decode()


def test_the_audit_log_is_for_administrators(client, person, admin_user):
    from learning.factories import UserFactory as Users

    organizer = Users(groups=["Webinar organizers"])
    organizer.is_staff = True
    organizer.save()
    client.force_login(organizer)
    assert client.get("/admin/audit-log/").status_code in (302, 403)
    client.force_login(admin_user)
    client.post("/admin/audit-log/new/", {"summary": "forged"})
    assert not AuditEntry.objects.filter(summary="forged").exists()
