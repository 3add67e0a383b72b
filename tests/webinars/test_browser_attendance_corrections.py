"""An organizer imports a webinar's attendance report in the admin, sends the certificates,
then imports a corrected report in a real browser: the preview names who stops being an
attendee and whose certificates go; once applied, the public verification page of a
dropped person's certificate says it was revoked, and why. A later report that has them
back issues new certificates (the old code stays revoked); a certificate revoked by hand
on the Certificates screen is not re-issued, and the preview and the result say so."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from learning.models import Certificate
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"


def zoom_report(*people):
    rows = "".join(f"{name},{email},,,90\n" for name, email in people)
    return {"name": "zoom.csv", "mimeType": "text/csv", "buffer": (HEADER + rows).encode()}


def import_report(page, attendance_url, *people):
    page.goto(attendance_url)
    page.set_input_files("#id_report", zoom_report(*people))
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_url("**/preview/")


def test_organizer_corrects_attendance_and_the_dropped_certificate_is_revoked(page_as, live_server):
    organizer = UserFactory(profile__time_zone="UTC")
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    series = WebinarSeriesPageFactory(
        title="KM4B season", organizers=[organizer], certificate_sessions_required=1
    )
    start = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    webinar = WebinarPageFactory(
        parent=series,
        title="Sharing what works",
        start=start,
        end=start + timedelta(minutes=90),
        platform="bigbluebutton",
    )
    people = {}
    for key, name in [("ana", "Ana Lima"), ("bo", "Bo Chen"), ("cy", "Cy Diop")]:
        user = UserFactory(email=f"{key}@example.org", profile__full_name=name)
        people[key] = RegistrationFactory(webinar=webinar, user=user)

    page = page_as(organizer)
    page.set_default_timeout(20_000)
    attendance_url = f"{live_server.url}/admin/webinar-registrations/{webinar.pk}/attendance/"
    # The first report: Ana and Bo attended.
    page.goto(attendance_url)
    page.select_option("#id_platform", "zoom")
    page.set_input_files(
        "#id_report",
        zoom_report(("Ana Lima", "ana@example.org"), ("Bo Chen", "bo@example.org")),
    )
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_url("**/preview/")
    assert page.locator("#attendance-changes").inner_text().count("Becomes attended") == 2
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("zoom.csv applied: 2 people changed.").wait_for()

    # The after-event emails issue their certificates.
    page.goto(f"{live_server.url}/admin/webinar-registrations/{webinar.pk}/")
    page.get_by_role("button", name="Send after-event emails and certificates").click()
    page.get_by_text("After-event emails are being sent to 3 people.").wait_for()
    assert Certificate.objects.filter(revoked_at=None).count() == 4  # webinar + series

    # The corrected report: Bo was not there, Cy was.
    page.goto(attendance_url)
    assert page.locator("#id_platform").input_value() == "zoom"
    page.set_input_files(
        "#id_report",
        zoom_report(("Ana Lima", "ana@example.org"), ("Cy Diop", "cy@example.org")),
    )
    page.get_by_role("button", name="Read the report").click()
    page.wait_for_url("**/preview/")
    bo_row = page.locator("#attendance-changes tr", has_text="bo@example.org")
    assert "No longer attended" in bo_row.inner_text()
    assert "Revoked: Webinar attendance, Sharing what works" in bo_row.inner_text()
    assert "Revoked: Webinar series attendance, KM4B season" in bo_row.inner_text()
    cy_row = page.locator("#attendance-changes tr", has_text="cy@example.org")
    assert "Becomes attended" in cy_row.inner_text()
    assert "Issued: Webinar attendance, Sharing what works" in cy_row.inner_text()
    # Nothing has changed before the organizer applies.
    assert Certificate.objects.filter(revoked_at=None).count() == 4

    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("zoom.csv applied: 2 people changed.").wait_for()

    certificate = Certificate.objects.get(user=people["bo"].user, kind=Certificate.Kind.WEBINAR)
    page.goto(live_server.url + certificate.get_verification_path())
    status = page.locator("#verification-status").inner_text()
    content = page.locator("main").inner_text()
    assert status == "This certificate has been revoked."
    assert "Attendance of “Sharing what works” was corrected on" in content
    assert "it no longer earns this certificate." in content
    assert "Bo Chen" in content
    assert Certificate.objects.filter(user=people["cy"].user, revoked_at=None).count() == 2

    # Cy's webinar certificate is revoked by hand (Certificates › Revoke).
    cy_webinar = Certificate.objects.get(user=people["cy"].user, kind=Certificate.Kind.WEBINAR)
    page.goto(f"{live_server.url}/admin/certificates/revoke/{cy_webinar.pk}/")
    page.fill("#id_revoked_reason", "Someone else attended in Cy's name")
    page.get_by_role("button", name="Revoke", exact=True).click()
    page.get_by_text(f"Certificate “{cy_webinar}” revoked.").wait_for()

    # A report with Bo back and Cy gone: Bo gets new certificates.
    import_report(
        page, attendance_url, ("Ana Lima", "ana@example.org"), ("Bo Chen", "bo@example.org")
    )
    bo_row = page.locator("#attendance-changes tr", has_text="bo@example.org")
    assert "Issued: Webinar attendance, Sharing what works" in bo_row.inner_text()
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("zoom.csv applied").wait_for()

    # A report with Cy back: the certificate revoked by hand is not re-issued.
    import_report(
        page,
        attendance_url,
        ("Ana Lima", "ana@example.org"),
        ("Bo Chen", "bo@example.org"),
        ("Cy Diop", "cy@example.org"),
    )
    blocked = "Webinar attendance, Sharing what works: revoked by an administrator; not re-issued"
    cy_row = page.locator("#attendance-changes tr", has_text="cy@example.org")
    assert blocked in cy_row.inner_text()
    assert "Issued: Webinar series attendance, KM4B season" in cy_row.inner_text()
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("zoom.csv applied").wait_for()
    cy_row = page.locator("#attendance-changes tr", has_text="cy@example.org")
    assert blocked in cy_row.inner_text()

    # Bo's old code still verifies as revoked; the new one as valid.
    new = Certificate.objects.get(
        user=people["bo"].user, kind=Certificate.Kind.WEBINAR, revoked_at=None
    )
    assert new.code != certificate.code
    page.goto(live_server.url + certificate.get_verification_path())
    old_status = page.locator("#verification-status").inner_text()
    page.goto(live_server.url + new.get_verification_path())
    new_status = page.locator("#verification-status").inner_text()
    assert old_status == "This certificate has been revoked."
    assert new_status == "This certificate is valid."
    cy_webinar.refresh_from_db()
    assert cy_webinar.revoked_reason == "Someone else attended in Cy's name"
    assert not Certificate.objects.filter(
        user=people["cy"].user, kind=Certificate.Kind.WEBINAR, revoked_at=None
    ).exists()
