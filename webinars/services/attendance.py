"""Attendance and follow-up: imported platform reports, organizers' own marks, and
the after-event emails with recordings and certificates."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import certificate_rules
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from webinars import attendance as attendance_reports
from webinars import tasks
from webinars.certificates import WEBINAR_ATTENDED
from webinars.models import AttendanceImport, AttendanceRecord, Registration, WebinarPage

from .permissions import require_manager
from .registration import RegistrationError, lock_webinar


def _attended(webinar, minutes):
    return minutes * 100 >= webinar.attendance_threshold * webinar.duration_minutes


def import_attendance(webinar, user, *, platform, file, file_name=""):
    """Import a platform's attendance report: rows summed per person, matched to
    registrants by email, attendance set by the webinar's threshold (manual marks are
    kept). Replaces earlier imports. Raises RegistrationError for an unreadable report;
    nothing is written then."""
    require_manager(user, webinar)
    try:
        people = attendance_reports.parse_report(file, platform)
    except attendance_reports.ReportError as error:
        raise RegistrationError(str(error)) from error
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        AttendanceImport.objects.filter(webinar=webinar).delete()
        report = AttendanceImport.objects.create(
            webinar=webinar,
            platform=platform,
            file_name=file_name[:255],
            uploaded_by=user,
            row_count=sum(person.rows for person in people),
        )
        registrations = {
            registration.user.email.lower(): registration
            for registration in Registration.objects.filter(webinar=webinar)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("user")
        }
        minutes_by_registration = {}
        records = []
        for person in people:
            registration = registrations.get(person.email.lower()) if person.email else None
            records.append(
                AttendanceRecord(
                    attendance_import=report,
                    registration=registration,
                    name=person.name[:255],
                    email=person.email[:254],
                    minutes=round(person.minutes),
                    sessions=person.rows,
                    first_join=person.first_join,
                    last_leave=person.last_leave,
                )
            )
            if registration is not None:
                minutes_by_registration[registration.pk] = minutes_by_registration.get(
                    registration.pk, 0
                ) + round(person.minutes)
        AttendanceRecord.objects.bulk_create(records)
        _apply_attendance(webinar, minutes_by_registration)
        audit(user, AuditEntry.Action.IMPORT_ATTENDANCE, summary=webinar.title)
    return report


def _apply_attendance(webinar, minutes_by_registration):
    """Set imported attendance on every non-manual registration of ``webinar``."""
    to_update = []
    for registration in Registration.objects.filter(webinar=webinar).exclude(
        attendance_source=Registration.AttendanceSource.MANUAL
    ):
        minutes = minutes_by_registration.get(registration.pk, 0)
        if registration.status == Registration.Status.CANCELLED and not minutes:
            continue
        registration.attended_minutes = minutes
        registration.attended = _attended(webinar, minutes)
        registration.attendance_source = Registration.AttendanceSource.IMPORT
        to_update.append(registration)
    Registration.objects.bulk_update(
        to_update, ["attended_minutes", "attended", "attendance_source"]
    )


def match_attendance_record(record, registration, user):
    """Attribute an unmatched row of a report to a registrant (e.g. who joined with
    another email address) and recompute their attendance."""
    webinar = record.attendance_import.webinar
    require_manager(user, webinar)
    if registration.webinar_id != webinar.pk:
        raise RegistrationError(_("This person is not registered for this webinar."))
    with transaction.atomic():
        lock_webinar(webinar)
        AttendanceRecord.objects.filter(pk=record.pk).update(registration=registration)
        minutes = {}
        for registration_id, record_minutes in AttendanceRecord.objects.filter(
            attendance_import__webinar=webinar, registration__isnull=False
        ).values_list("registration_id", "minutes"):
            minutes[registration_id] = minutes.get(registration_id, 0) + record_minutes
        _apply_attendance(webinar, minutes)


def mark_attendance(registration, user, *, attended):
    """An organizer's own judgement of attendance; later imports keep it."""
    require_manager(user, registration.webinar)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.attended = attended
        registration.attendance_source = Registration.AttendanceSource.MANUAL
        registration.save(update_fields=["attended", "attendance_source"])
    return registration


def send_follow_up(webinar, user):
    """After the event: attendees get the recording, the slides and the certificates the
    "webinar-attended" rules award (``webinars.certificates``: the webinar's, and the
    series' once enough of its sessions are attended); absentees get the recording and
    slides. Each person is emailed once."""
    require_manager(user, webinar)
    if webinar.end > timezone.now():
        raise RegistrationError(_("The webinar has not ended yet."))
    if webinar.status == WebinarPage.Status.CANCELLED:
        raise RegistrationError(_("This webinar was cancelled."))
    series = webinar.series
    queued = 0
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        registrations = list(
            Registration.objects.filter(
                webinar=webinar,
                status=Registration.Status.CONFIRMED,
                follow_up_sent_at__isnull=True,
            ).select_related("user__profile")
        )
        now = timezone.now()
        for registration in registrations:
            certificate_ids = []
            if registration.attended:
                issued = certificate_rules.issue_due(
                    WEBINAR_ATTENDED, registration.user, webinar=webinar, series=series
                )
                certificate_ids = [certificate.pk for certificate in issued.values()]
            registration.follow_up_sent_at = now
            transaction.on_commit(
                lambda pk=registration.pk, ids=certificate_ids: tasks.send_follow_up_email.enqueue(
                    pk, ids
                )
            )
            queued += 1
        Registration.objects.bulk_update(registrations, ["follow_up_sent_at"])
        WebinarPage.objects.filter(pk=webinar.pk).update(follow_up_sent_at=now)
    return queued
