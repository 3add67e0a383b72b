"""Domain rules of webinars: registration, waitlist, schedule changes, attendance,
after-event follow-up. Plain functions, one transaction each; mail and tasks go out only
after commit.

Capacity is protected by locking the webinar row once per transaction, before counting
seats (a no-op on SQLite, where IMMEDIATE transactions already serialise writers).
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import services as learning_services
from learning.models import Certificate
from webinars import attendance as attendance_reports
from webinars import tasks
from webinars.models import (
    AttendanceImport,
    AttendanceRecord,
    CalendarFeed,
    Registration,
    RegistrationQuestion,
    WebinarPage,
    WebinarSeriesPage,
)

logger = logging.getLogger(__name__)

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


class RegistrationError(Exception):
    """A registration cannot be made or changed; the message is shown to the user."""


# --- who may do what -------------------------------------------------------------------


def managed_series(user):
    """The series whose sessions ``user`` may manage."""
    series = WebinarSeriesPage.objects.all()
    if user.is_superuser:
        return series
    return series.filter(organizers=user)


def managed_webinars(user):
    webinars = WebinarPage.objects.all()
    if user.is_superuser:
        return webinars
    series_paths = list(managed_series(user).values_list("path", flat=True))
    if not series_paths:
        return webinars.none()
    query = Q()
    for path in series_paths:
        query |= Q(path__startswith=path)
    return webinars.filter(query, depth__gt=1)


def can_manage(user, webinar):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return WebinarSeriesPage.objects.filter(
        organizers=user, path=webinar.path[: -webinar.steplen]
    ).exists()


def _require_manager(user, webinar):
    if not can_manage(user, webinar):
        raise PermissionDenied


# --- registration ----------------------------------------------------------------------


# What deciding a seat reads from the locked webinar row (the rest stays deferred).
SEAT_FIELDS = (
    "status",
    "capacity",
    "approval_required",
    "registration_opens_at",
    "registration_closes_at",
    "start",
)


def _lock(webinar, fields=None):
    """Lock the webinar row for the rest of the transaction and return a fresh copy (of
    ``fields`` only, when given: the lock is held while it is read)."""
    queryset = WebinarPage.objects.select_for_update(of=("self",))
    if fields:
        queryset = queryset.only(*fields)
    return queryset.get(pk=webinar.pk)


def clean_answers(webinar, answers):
    """Validate ``answers`` (question key -> text, or list for multiple choice) against the
    webinar's questions; return them normalised, or raise RegistrationError naming the
    question at fault."""
    answers = answers or {}
    cleaned = {}
    for question in webinar.questions.all():
        value = answers.get(question.key)
        if question.kind == RegistrationQuestion.Kind.MULTIPLE:
            values = [value] if isinstance(value, str) else list(value or [])
            values = [str(v).strip() for v in values if str(v).strip()]
            unknown = [v for v in values if v not in question.choice_list]
            if unknown:
                raise RegistrationError(
                    _("“%(answer)s” is not a choice of “%(question)s”.")
                    % {"answer": unknown[0], "question": question.label}
                )
            if values:
                cleaned[question.key] = values
        else:
            text = str(value).strip() if value is not None else ""
            if (
                question.kind == RegistrationQuestion.Kind.SINGLE
                and text
                and text not in question.choice_list
            ):
                raise RegistrationError(
                    _("“%(answer)s” is not a choice of “%(question)s”.")
                    % {"answer": text, "question": question.label}
                )
            if len(text) > 2000:
                raise RegistrationError(
                    _("The answer to “%(question)s” is too long (2000 characters at most).")
                    % {"question": question.label}
                )
            if text:
                cleaned[question.key] = text
        if question.required and question.key not in cleaned:
            raise RegistrationError(
                _("Please answer “%(question)s”.") % {"question": question.label}
            )
    return cleaned


def _free_seats(webinar):
    if webinar.capacity is None:
        return None
    taken = Registration.objects.filter(
        webinar=webinar, status=Registration.Status.CONFIRMED
    ).count()
    return max(0, webinar.capacity - taken)


def register(webinar, user, answers=None):
    """Register ``user`` for ``webinar``: confirmed while seats remain, else waitlisted;
    pending when the webinar requires approval. Registering again returns the existing
    registration (a cancelled one is revived). The confirmation email (with .ics) and the
    reminders are queued after commit."""
    if not (user and user.is_authenticated):
        raise RegistrationError(_("Log in to register."))
    answers = clean_answers(webinar, answers)
    # Everything that needs no lock is read first: the webinar row stays locked only for
    # the count and the write, which is what bounds registrations per second per webinar.
    existing = Registration.objects.filter(webinar=webinar, user=user).first()
    if existing and existing.status != Registration.Status.CANCELLED:
        return existing
    profile = getattr(user, "profile", None)
    country = getattr(profile, "country", "") or ""
    try:
        with transaction.atomic():
            return _register_locked(webinar, user, answers, country, revive=existing)
    except IntegrityError:
        # The same user registered in a parallel request between our read and insert.
        return Registration.objects.get(webinar=webinar, user=user)


def _register_locked(webinar, user, answers, country, *, revive):
    webinar = _lock(webinar, SEAT_FIELDS)
    if revive is not None:
        revive = Registration.objects.get(pk=revive.pk)
        if revive.status != Registration.Status.CANCELLED:
            return revive
    if webinar.status == WebinarPage.Status.CANCELLED:
        raise RegistrationError(_("This webinar has been cancelled."))
    if not webinar.registration_is_open():
        raise RegistrationError(_("Registration for this webinar is closed."))
    if webinar.approval_required:
        status = Registration.Status.PENDING
    else:
        free = _free_seats(webinar)
        status = (
            Registration.Status.CONFIRMED
            if free is None or free > 0
            else Registration.Status.WAITLISTED
        )
    now = timezone.now()
    if revive is not None:
        registration = revive
        registration.status = status
        registration.answers = answers
        registration.country = country
        registration.status_changed_at = now
        registration.save(update_fields=["status", "answers", "country", "status_changed_at"])
    else:
        registration = Registration.objects.create(
            webinar=webinar,
            user=user,
            status=status,
            answers=answers,
            country=country,
            created_at=now,
            status_changed_at=now,
        )
    _after_commit_notify(registration, status)
    return registration


def _after_commit_notify(registration, kind):
    registration_id = registration.pk
    transaction.on_commit(lambda: tasks.send_registration_email.enqueue(registration_id, kind))


def schedule_reminders(webinar):
    """Queue the webinar's 24 h and 1 h reminder rounds for its current schedule (its
    ``sequence``); each round emails the registrants confirmed at that moment. Rounds
    whose time has passed are not queued. One task per round, not per registrant, keeps
    registering cheap; the round fans out to one task per registrant."""
    backend = tasks.send_reminders.get_backend()
    if not backend.supports_defer:
        logger.info("Task backend %s cannot schedule reminders; skipped.", backend.alias)
        return
    now = timezone.now()
    for kind, before in REMINDERS.items():
        run_after = webinar.start - before
        if run_after > now:
            tasks.send_reminders.using(run_after=run_after).enqueue(
                webinar.pk, kind, webinar.sequence
            )


def _promote_waitlisted(webinar):
    """Fill free seats from the waitlist, first come first served (webinar locked)."""
    free = _free_seats(webinar)
    if free == 0:
        return []
    waiting = Registration.objects.filter(webinar=webinar, status=Registration.Status.WAITLISTED)
    if free is not None:
        waiting = waiting[:free]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        _after_commit_notify(registration, "promoted")
    return promoted


def cancel_registration(registration, user):
    """Cancel a registration (by its owner or an organizer of the webinar). A freed seat
    goes to the first waitlisted person in the same transaction; they are emailed."""
    webinar = registration.webinar
    if registration.user_id != user.pk and not can_manage(user, webinar):
        raise PermissionDenied
    with transaction.atomic():
        webinar = _lock(webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if webinar.end < timezone.now():
            raise RegistrationError(_("This webinar is over; its registrations are final."))
        registration.status = Registration.Status.CANCELLED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        _after_commit_notify(registration, Registration.Status.CANCELLED)
        if webinar.status == WebinarPage.Status.SCHEDULED:
            _promote_waitlisted(webinar)
    return registration


def approve_registration(registration, user):
    """Approve a pending registration: confirmed if a seat is free, else waitlisted."""
    _require_manager(user, registration.webinar)
    with transaction.atomic():
        webinar = _lock(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            raise RegistrationError(_("Only pending registrations can be approved."))
        free = _free_seats(webinar)
        status = (
            Registration.Status.CONFIRMED
            if free is None or free > 0
            else Registration.Status.WAITLISTED
        )
        registration.status = status
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        _after_commit_notify(registration, status)
    return registration


def reject_registration(registration, user):
    """Turn down a pending or waitlisted registration."""
    _require_manager(user, registration.webinar)
    with transaction.atomic():
        _lock(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status not in (
            Registration.Status.PENDING,
            Registration.Status.WAITLISTED,
        ):
            raise RegistrationError(
                _("Only pending or waitlisted registrations can be turned down.")
            )
        registration.status = Registration.Status.CANCELLED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        _after_commit_notify(registration, "rejected")
    return registration


def move_off_waitlist(registration, user):
    """Give a waitlisted person a seat out of turn. Capacity still holds: if the webinar
    is full, raise its capacity (or cancel a seat) first."""
    _require_manager(user, registration.webinar)
    with transaction.atomic():
        webinar = _lock(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("This person is not on the waitlist."))
        if _free_seats(webinar) == 0:
            raise RegistrationError(
                _("The webinar is full: raise its capacity or cancel a seat first.")
            )
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        _after_commit_notify(registration, "promoted")
    return registration


@transaction.atomic
def message_registrants(webinar, user, *, subject, body, statuses=None):
    """Email every registrant of ``webinar`` in ``statuses`` (default: confirmed and
    waitlisted). Each email is rendered in its recipient's language and time zone."""
    _require_manager(user, webinar)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise RegistrationError(_("Write a subject and a message."))
    if "\n" in subject or "\r" in subject:
        raise RegistrationError(_("The subject must fit on one line."))
    statuses = statuses or [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    ids = list(
        Registration.objects.filter(webinar=webinar, status__in=statuses).values_list(
            "pk", flat=True
        )
    )
    for registration_id in ids:
        transaction.on_commit(
            lambda pk=registration_id: tasks.send_message.enqueue(pk, subject, body)
        )
    return len(ids)


def calendar_feed_for(user):
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def record_join_click(registration):
    """Count a confirmed registrant's click on their join link."""
    now = timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.join_clicks += 1
        registration.first_joined_at = registration.first_joined_at or now
        registration.save(update_fields=["join_clicks", "first_joined_at"])
    return registration


# --- schedule changes ------------------------------------------------------------------


def apply_published_changes(webinar):
    """Tell registrants what changed when the webinar page is published: a new time
    (SEQUENCE + 1, updated invitation, reminders voided and rescheduled), a cancellation
    (METHOD:CANCEL), or more seats (waitlist promoted)."""
    with transaction.atomic():
        webinar = _lock(webinar)
        fields = []
        first_publication = webinar.announced_start is None
        # Back on the calendar after a cancellation or postponement: the earlier reminder
        # rounds were voided (or skipped), so new ones are needed.
        revived = (
            not first_publication
            and webinar.announced_status != WebinarPage.Status.SCHEDULED
            and webinar.status == WebinarPage.Status.SCHEDULED
        )
        rescheduled = not first_publication and (
            webinar.announced_start != webinar.start or webinar.announced_end != webinar.end
        )
        newly_cancelled = (
            webinar.status == WebinarPage.Status.CANCELLED
            and webinar.announced_status != WebinarPage.Status.CANCELLED
        )
        if rescheduled:
            webinar.sequence += 1
            fields.append("sequence")
            Registration.objects.filter(webinar=webinar).update(
                reminder_24h_sent_at=None, reminder_1h_sent_at=None
            )
        if newly_cancelled and not first_publication:
            webinar.sequence += 1
            fields.append("sequence")
        if rescheduled or first_publication or webinar.announced_status != webinar.status:
            webinar.announced_start, webinar.announced_end = webinar.start, webinar.end
            webinar.announced_status = webinar.status
            fields += ["announced_start", "announced_end", "announced_status"]
        if fields:
            WebinarPage.objects.filter(pk=webinar.pk).update(
                **{name: getattr(webinar, name) for name in set(fields)}
            )
        active = Registration.objects.filter(
            webinar=webinar,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
                Registration.Status.PENDING,
            ],
        )
        if newly_cancelled:
            for registration in active:
                _after_commit_notify(registration, "webinar_cancelled")
            return webinar
        if rescheduled:
            for registration in active:
                _after_commit_notify(registration, "rescheduled")
        if (first_publication or rescheduled or revived) and (
            webinar.status == WebinarPage.Status.SCHEDULED
        ):
            transaction.on_commit(lambda: schedule_reminders(webinar))
        if webinar.status == WebinarPage.Status.SCHEDULED and webinar.end > timezone.now():
            _promote_waitlisted(webinar)
    return webinar


def reschedule(webinar, *, start, end, user):
    """Move a webinar to a new time: publishes a new revision of its page, which
    triggers ``apply_published_changes``."""
    _require_manager(user, webinar)
    if end <= start:
        raise RegistrationError(_("The end must be after the start."))
    page = WebinarPage.objects.get(pk=webinar.pk).get_latest_revision_as_object()
    page.start, page.end = start, end
    with transaction.atomic():
        page.save_revision(user=user).publish(user=user)
    return WebinarPage.objects.get(pk=webinar.pk)


# --- attendance ------------------------------------------------------------------------


def _attended(webinar, minutes):
    return minutes * 100 >= webinar.attendance_threshold * webinar.duration_minutes


def import_attendance(webinar, user, *, platform, file, file_name=""):
    """Import a platform's attendance report: rows summed per person, matched to
    registrants by email, attendance set by the webinar's threshold (manual marks are
    kept). Replaces earlier imports. Raises RegistrationError for an unreadable report;
    nothing is written then."""
    _require_manager(user, webinar)
    try:
        people = attendance_reports.parse_report(file, platform)
    except attendance_reports.ReportError as error:
        raise RegistrationError(str(error)) from error
    with transaction.atomic():
        webinar = _lock(webinar)
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
    _require_manager(user, webinar)
    if registration.webinar_id != webinar.pk:
        raise RegistrationError(_("This person is not registered for this webinar."))
    with transaction.atomic():
        _lock(webinar)
        AttendanceRecord.objects.filter(pk=record.pk).update(registration=registration)
        minutes = {}
        for registration_id, record_minutes in AttendanceRecord.objects.filter(
            attendance_import__webinar=webinar, registration__isnull=False
        ).values_list("registration_id", "minutes"):
            minutes[registration_id] = minutes.get(registration_id, 0) + record_minutes
        _apply_attendance(webinar, minutes)


def mark_attendance(registration, user, *, attended):
    """An organizer's own judgement of attendance; later imports keep it."""
    _require_manager(user, registration.webinar)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.attended = attended
        registration.attendance_source = Registration.AttendanceSource.MANUAL
        registration.save(update_fields=["attended", "attendance_source"])
    return registration


# --- after the event -------------------------------------------------------------------


def send_follow_up(webinar, user):
    """After the event: attendees get the recording, the slides and their attendance
    certificate; absentees get the recording and slides. Participants who reached the
    series' rule get a series certificate too. Each person is emailed once."""
    _require_manager(user, webinar)
    if webinar.end > timezone.now():
        raise RegistrationError(_("The webinar has not ended yet."))
    if webinar.status == WebinarPage.Status.CANCELLED:
        raise RegistrationError(_("This webinar was cancelled."))
    series = webinar.series
    queued = 0
    with transaction.atomic():
        webinar = _lock(webinar)
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
                certificate_ids.append(_issue_webinar_certificate(webinar, registration).pk)
                series_certificate = _issue_series_certificate_if_due(series, registration.user)
                if series_certificate is not None:
                    certificate_ids.append(series_certificate.pk)
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


def _issue_webinar_certificate(webinar, registration):
    return learning_services.issue_certificate(
        user=registration.user,
        kind=Certificate.Kind.WEBINAR,
        source=webinar,
        title=webinar.title,
        issuer=webinar.series.title if webinar.series else webinar.title,
        achieved_at=webinar.end,
        source_url=webinar.url or "",
    )


def _issue_series_certificate_if_due(series, user):
    required = getattr(series, "certificate_sessions_required", None)
    if not required:
        return None
    attended = Registration.objects.filter(
        user=user,
        attended=True,
        status=Registration.Status.CONFIRMED,
        webinar__in=WebinarPage.objects.child_of(series),
    ).count()
    if attended < required:
        return None
    return learning_services.issue_certificate(
        user=user,
        kind=Certificate.Kind.SERIES,
        source=series,
        title=series.title,
        issuer=series.title,
        source_url=series.url or "",
    )
