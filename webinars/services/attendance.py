"""Attendance and follow-up: imported platform reports (previewed, then applied),
organizers' own marks, and the after-event emails with recordings and certificates.

Certificates follow attendance: every correction (an applied import, a row matched by
hand, a manual mark) issues the certificates now due and revokes, with a reason the
verification page shows, those no longer due; series certificates are re-evaluated with
them. Issuing waits for the after-event emails (``send_follow_up``); revoking does not.
A revocation is never undone: a certificate due again is a new one, and none is issued
where an administrator revoked the previous one.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import certificate_rules
from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.translations import canonical
from webinars import attendance as attendance_reports
from webinars import tasks
from webinars.certificates import WEBINAR_ATTENDED
from webinars.models import AttendanceImport, AttendanceRecord, Registration, WebinarPage

from .permissions import require_manager
from .registration import RegistrationError, lock_webinar


@dataclass
class AttendanceChange:
    """One registrant whose attendance or certificates a correction changes."""

    registration: Registration
    was_attended: bool | None
    attended: bool | None
    minutes_before: int | None
    minutes: int | None
    issued: list = field(default_factory=list)
    revoked: list = field(default_factory=list)
    # Due again but not re-issued: an administrator revoked the certificate.
    blocked: list = field(default_factory=list)

    @property
    def becomes_attended(self):
        return bool(self.attended) and not self.was_attended

    @property
    def stops_attended(self):
        return bool(self.was_attended) and not self.attended


def normalise_name(name):
    """A name compared case-, accent- and spacing-insensitively ("  José  DA Silva" and
    "jose da silva" are equal)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def registrant_name(registration):
    profile = getattr(registration.user, "profile", None)
    return getattr(profile, "full_name", "") or registration.user.get_full_name()


def _attended(webinar, minutes):
    return minutes * 100 >= webinar.attendance_threshold * webinar.duration_minutes


def read_attendance_report(webinar, user, *, platform, file, file_name=""):
    """Read a platform's attendance report into an import that is not applied yet (see
    ``attendance_changes`` and ``apply_attendance_import``): rows summed per person,
    matched to registrants by email, else by a name equal to exactly one registrant's
    (normalised; the organizer confirms these). Replaces earlier unapplied imports.
    Raises RegistrationError for an unreadable report; nothing is written then."""
    webinar = canonical(webinar)  # registrations are the canonical version's
    require_manager(user, webinar)
    try:
        people = attendance_reports.parse_report(file, platform)
    except attendance_reports.ReportError as error:
        raise RegistrationError(str(error)) from error
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        AttendanceImport.objects.filter(webinar=webinar, applied_at__isnull=True).delete()
        report = AttendanceImport.objects.create(
            webinar=webinar,
            platform=platform,
            file_name=file_name[:255],
            uploaded_by=user,
            row_count=sum(person.rows for person in people),
        )
        registrations = list(
            Registration.objects.filter(webinar=webinar)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("user__profile")
        )
        by_email = {registration.user.email.lower(): registration for registration in registrations}
        by_name = {}
        for registration in registrations:
            by_name.setdefault(normalise_name(registrant_name(registration)), []).append(
                registration
            )
        by_name.pop("", None)
        records = []
        for person in people:
            registration, matched_by = None, ""
            if person.email:
                registration = by_email.get(person.email.lower())
                matched_by = AttendanceRecord.MatchedBy.EMAIL if registration else ""
            else:
                namesakes = by_name.get(normalise_name(person.name), [])
                if len(namesakes) == 1:
                    registration, matched_by = namesakes[0], AttendanceRecord.MatchedBy.NAME
            records.append(
                AttendanceRecord(
                    attendance_import=report,
                    registration=registration,
                    matched_by=matched_by,
                    name=person.name[:255],
                    email=person.email[:254],
                    minutes=round(person.minutes),
                    sessions=person.rows,
                    first_join=person.first_join,
                    last_leave=person.last_leave,
                )
            )
        AttendanceRecord.objects.bulk_create(records)
    return report


def attendance_changes(report, user, *, rejected_name_matches=()):
    """What applying ``report`` would change, for whom (attendance and certificates):
    the import is applied and rolled back, so the preview is exactly what applying does.
    ``rejected_name_matches``: ids of rows matched by name that the organizer turned
    down."""
    require_manager(user, report.webinar)
    with transaction.atomic():
        changes = _apply_import(report, user, rejected_name_matches)
        transaction.set_rollback(True)
    return changes


def apply_attendance_import(report, user, *, rejected_name_matches=()):
    """Apply a previewed import: it replaces earlier imports, sets attendance by the
    webinar's threshold (manual marks are kept) and makes certificates follow. Returns
    the ``AttendanceChange`` list. RegistrationError when it was applied already."""
    require_manager(user, report.webinar)
    with transaction.atomic():
        changes = _apply_import(report, user, rejected_name_matches)
        AttendanceImport.objects.filter(webinar_id=report.webinar_id).exclude(pk=report.pk).delete()
        AttendanceImport.objects.filter(pk=report.pk).update(applied_at=timezone.now())
        audit(user, AuditEntry.Action.IMPORT_ATTENDANCE, summary=report.webinar.title)
    return changes


def import_attendance(webinar, user, *, platform, file, file_name=""):
    """Read and apply a report in one step, every name match accepted (scripts, tests)."""
    report = read_attendance_report(
        webinar, user, platform=platform, file=file, file_name=file_name
    )
    apply_attendance_import(report, user)
    report.refresh_from_db()
    return report


def _apply_import(report, user, rejected_name_matches):
    webinar = lock_webinar(report.webinar)
    report = AttendanceImport.objects.select_for_update().filter(pk=report.pk).first()
    if report is None or report.applied_at is not None:
        raise RegistrationError(
            _("This report was applied or replaced already; import it again to see its changes.")
        )
    if rejected_name_matches:
        report.records.filter(
            pk__in=rejected_name_matches, matched_by=AttendanceRecord.MatchedBy.NAME
        ).update(registration=None, matched_by="")
    minutes = {}
    for registration_id, record_minutes in report.records.filter(
        registration__isnull=False
    ).values_list("registration_id", "minutes"):
        minutes[registration_id] = minutes.get(registration_id, 0) + record_minutes
    return _follow_certificates(webinar, user, _apply_attendance(webinar, minutes))


def _apply_attendance(webinar, minutes_by_registration):
    """Set imported attendance on every non-manual registration of ``webinar``; returns
    the ``AttendanceChange`` of each registration whose attendance changed."""
    to_update, changes = [], []
    for registration in (
        Registration.objects.filter(webinar=webinar)
        .exclude(attendance_source=Registration.AttendanceSource.MANUAL)
        .select_related("user__profile")
    ):
        minutes = minutes_by_registration.get(registration.pk, 0)
        if registration.status == Registration.Status.CANCELLED and not minutes:
            continue
        change = AttendanceChange(
            registration,
            was_attended=registration.attended,
            attended=_attended(webinar, minutes),
            minutes_before=registration.attended_minutes,
            minutes=minutes,
        )
        registration.attended_minutes = minutes
        registration.attended = change.attended
        registration.attendance_source = Registration.AttendanceSource.IMPORT
        to_update.append(registration)
        # Unknown and 0 minutes read as "not attended": not a change worth listing.
        if bool(change.was_attended) != change.attended or (change.minutes_before or 0) != minutes:
            changes.append(change)
    Registration.objects.bulk_update(
        to_update, ["attended_minutes", "attended", "attendance_source"]
    )
    return changes


def _follow_certificates(webinar, user, changes):
    """Reconcile the certificates of everyone whose attendance flag changed."""
    reason = _(
        "Attendance of “%(webinar)s” was corrected on %(date)s: it no longer earns this "
        "certificate."
    ) % {"webinar": webinar.title, "date": timezone.now().date().isoformat()}
    issue = webinar.follow_up_sent_at is not None
    for change in changes:
        if bool(change.was_attended) == bool(change.attended):
            continue
        change.issued, change.revoked, change.blocked = certificate_rules.reconcile(
            WEBINAR_ATTENDED,
            change.registration.user,
            reason=reason,
            revoked_by=user,
            issue=issue,
            webinar=webinar,
            series=webinar.series,
        )
    return changes


def match_attendance_record(record, registration, user):
    """Attribute an unmatched row of an applied report to a registrant (e.g. who joined
    with another email address), recompute their attendance and make certificates follow;
    returns the ``AttendanceChange`` list."""
    webinar = record.attendance_import.webinar
    require_manager(user, webinar)
    if registration.webinar_id != webinar.pk:
        raise RegistrationError(_("This person is not registered for this webinar."))
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        AttendanceRecord.objects.filter(pk=record.pk).update(
            registration=registration, matched_by=AttendanceRecord.MatchedBy.ORGANIZER
        )
        minutes = {}
        for registration_id, record_minutes in AttendanceRecord.objects.filter(
            attendance_import__webinar=webinar,
            attendance_import__applied_at__isnull=False,
            registration__isnull=False,
        ).values_list("registration_id", "minutes"):
            minutes[registration_id] = minutes.get(registration_id, 0) + record_minutes
        return _follow_certificates(webinar, user, _apply_attendance(webinar, minutes))


def mark_attendance(registration, user, *, attended):
    """An organizer's own judgement of attendance (later imports keep it); certificates
    follow. Returns the ``AttendanceChange``."""
    require_manager(user, registration.webinar)
    with transaction.atomic():
        webinar = lock_webinar(registration.webinar)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("user__profile")
            .get(pk=registration.pk)
        )
        change = AttendanceChange(
            registration,
            was_attended=registration.attended,
            attended=attended,
            minutes_before=registration.attended_minutes,
            minutes=registration.attended_minutes,
        )
        registration.attended = attended
        registration.attendance_source = Registration.AttendanceSource.MANUAL
        registration.save(update_fields=["attended", "attendance_source"])
        _follow_certificates(webinar, user, [change])
    return change


def send_follow_up(webinar, user, *, registration_ids=None):
    """After the event: attendees get the recording, the slides and the certificates the
    "webinar-attended" rules award (``webinars.certificates``: the webinar's, and the
    series' once enough of its sessions are attended); absentees get the recording and
    slides. Each person is emailed once; ``registration_ids`` re-sends to just those
    confirmed registrants (whose attendance was corrected). Returns how many are queued."""
    webinar = canonical(webinar)  # registrations are the canonical version's
    require_manager(user, webinar)
    if webinar.end > timezone.now():
        raise RegistrationError(_("The webinar has not ended yet."))
    if webinar.status == WebinarPage.Status.CANCELLED:
        raise RegistrationError(_("This webinar was cancelled."))
    series = webinar.series
    queued = 0
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        registrations = Registration.objects.filter(
            webinar=webinar, status=Registration.Status.CONFIRMED
        ).select_related("user__profile")
        if registration_ids is None:
            registrations = registrations.filter(follow_up_sent_at__isnull=True)
        else:
            registrations = registrations.filter(pk__in=registration_ids)
        registrations = list(registrations)
        now = timezone.now()
        for registration in registrations:
            certificate_ids = []
            if registration.attended:
                issued = certificate_rules.issue_due(
                    WEBINAR_ATTENDED, registration.user, webinar=webinar, series=series
                )
                certificate_ids = [
                    certificate.pk for certificate in issued.values() if not certificate.is_revoked
                ]
            registration.follow_up_sent_at = now
            transaction.on_commit(
                lambda pk=registration.pk, ids=certificate_ids: tasks.send_follow_up_email.enqueue(
                    pk, ids
                )
            )
            queued += 1
        Registration.objects.bulk_update(registrations, ["follow_up_sent_at"])
        if webinar.follow_up_sent_at is None:
            WebinarPage.objects.filter(pk=webinar.pk).update(follow_up_sent_at=now)
    return queued
