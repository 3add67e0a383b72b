"""Registration and waitlist: registering, cancelling, approving and turning down,
seats and the waitlist, messages to registrants, join clicks, calendar feeds.

Capacity is protected by locking the webinar row once per transaction, before counting
seats (a no-op on SQLite, where IMMEDIATE transactions already serialise writers).
Every status change goes through ``change_status``.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import AuditEntry
from learning.privacy.services import record as audit
from learning.translations import canonical
from webinars import tasks
from webinars.models import (
    CalendarFeed,
    Registration,
    RegistrationQuestion,
    WebinarPage,
    new_token,
)

from .permissions import can_manage, require_manager


class RegistrationError(Exception):
    """A registration cannot be made or changed; the message is shown to the user."""


# What deciding a seat reads from the locked webinar row (the rest stays deferred).
SEAT_FIELDS = (
    "status",
    "capacity",
    "approval_required",
    "registration_opens_at",
    "registration_closes_at",
    "start",
)


def lock_webinar(webinar, fields=None):
    """Lock the webinar row for the rest of the transaction and return a fresh copy (of
    ``fields`` only, when given: the lock is held while it is read)."""
    queryset = WebinarPage.objects.select_for_update(of=("self",))
    if fields:
        queryset = queryset.only(*fields)
    return queryset.get(pk=webinar.pk)


def free_seats(webinar):
    if webinar.capacity is None:
        return None
    taken = Registration.objects.filter(
        webinar=webinar, status=Registration.Status.CONFIRMED
    ).count()
    return max(0, webinar.capacity - taken)


def _seat_or_waitlist(webinar):
    """Confirmed while a seat is free (or the webinar has no capacity), else waitlisted."""
    free = free_seats(webinar)
    if free is None or free > 0:
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


def change_status(registration, status, *, notify, now=None, **fields):
    """The one way a registration's status changes: set it with the time of the change
    (and ``fields``, e.g. a revived registration's answers), save, and queue the email
    ``notify`` names ("confirmed", "promoted", "rejected"...) for after commit. Callers
    hold the webinar's lock and have checked the change is allowed."""
    registration.status = status
    registration.status_changed_at = now or timezone.now()
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "status_changed_at", *fields])
    queue_registration_email(registration, notify)
    return registration


def queue_registration_email(registration, kind):
    """Send the registration email ``kind`` once the transaction commits."""
    registration_id = registration.pk
    transaction.on_commit(lambda: tasks.send_registration_email.enqueue(registration_id, kind))


def promote_waitlisted(webinar):
    """Fill free seats from the waitlist, first come first served (webinar locked)."""
    free = free_seats(webinar)
    if free == 0:
        return []
    waiting = Registration.objects.filter(webinar=webinar, status=Registration.Status.WAITLISTED)
    if free is not None:
        waiting = waiting[:free]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        change_status(registration, Registration.Status.CONFIRMED, notify="promoted", now=now)
    return promoted


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


def _canonical_answers(shown, webinar, answers):
    """``answers`` to the questions of ``shown`` (a translation of ``webinar``) keyed by
    ``webinar``'s questions, and choices by its choices: a translation's questions and
    choices match the original's by position. Kept as given when they do not match."""
    pairs = list(zip(shown.questions.all(), webinar.questions.all(), strict=False))
    if len(pairs) != webinar.questions.count():
        return answers
    result = {}
    for translated, original in pairs:
        if translated.key not in answers:
            continue
        value = answers[translated.key]
        choices = dict(zip(translated.choice_list, original.choice_list, strict=False))
        if translated.kind == RegistrationQuestion.Kind.MULTIPLE:
            value = [choices.get(item, item) for item in value]
        elif translated.kind == RegistrationQuestion.Kind.SINGLE:
            value = choices.get(value, value)
        result[original.key] = value
    return result


def register(webinar, user, answers=None):
    """Register ``user`` for ``webinar``: confirmed while seats remain, else waitlisted;
    pending when the webinar requires approval. Registering again returns the existing
    registration (a cancelled one is revived). The confirmation email (with .ics) and the
    reminders are queued after commit."""
    if not (user and user.is_authenticated):
        raise RegistrationError(_("Log in to register."))
    # The webinar's language versions share its seats and registrations: the canonical one
    # holds them (``learning.translations``). Answers are checked against the form the
    # person filled in, then stored in the canonical webinar's terms.
    shown, webinar = webinar, canonical(webinar)
    answers = clean_answers(shown, answers)
    if shown.pk != webinar.pk:
        answers = _canonical_answers(shown, webinar, answers)
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
    webinar = lock_webinar(webinar, SEAT_FIELDS)
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
        status = _seat_or_waitlist(webinar)
    if revive is not None:
        return change_status(revive, status, notify=status, answers=answers, country=country)
    now = timezone.now()
    registration = Registration.objects.create(
        webinar=webinar,
        user=user,
        status=status,
        answers=answers,
        country=country,
        created_at=now,
        status_changed_at=now,
    )
    queue_registration_email(registration, status)
    return registration


def cancel_registration(registration, user):
    """Cancel a registration (by its owner or an organizer of the webinar). A freed seat
    goes to the first waitlisted person in the same transaction; they are emailed."""
    webinar = registration.webinar
    if registration.user_id != user.pk and not can_manage(user, webinar):
        raise PermissionDenied
    with transaction.atomic():
        webinar = lock_webinar(webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if webinar.end < timezone.now():
            raise RegistrationError(_("This webinar is over; its registrations are final."))
        change_status(
            registration, Registration.Status.CANCELLED, notify=Registration.Status.CANCELLED
        )
        if registration.user_id != user.pk:
            audit(user, AuditEntry.Action.CANCEL, subject=registration.user, summary=webinar.title)
        if webinar.status == WebinarPage.Status.SCHEDULED:
            promote_waitlisted(webinar)
    return registration


def approve_registration(registration, user):
    """Approve a pending registration: confirmed if a seat is free, else waitlisted."""
    require_manager(user, registration.webinar)
    with transaction.atomic():
        webinar = lock_webinar(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            raise RegistrationError(_("Only pending registrations can be approved."))
        status = _seat_or_waitlist(webinar)
        change_status(registration, status, notify=status)
        audit(user, AuditEntry.Action.APPROVE, subject=registration.user, summary=webinar.title)
    return registration


def reject_registration(registration, user):
    """Turn down a pending or waitlisted registration."""
    require_manager(user, registration.webinar)
    with transaction.atomic():
        lock_webinar(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status not in (
            Registration.Status.PENDING,
            Registration.Status.WAITLISTED,
        ):
            raise RegistrationError(
                _("Only pending or waitlisted registrations can be turned down.")
            )
        change_status(registration, Registration.Status.CANCELLED, notify="rejected")
        audit(
            user,
            AuditEntry.Action.REJECT,
            subject=registration.user,
            summary=registration.webinar.title,
        )
    return registration


def move_off_waitlist(registration, user):
    """Give a waitlisted person a seat out of turn. Capacity still holds: if the webinar
    is full, raise its capacity (or cancel a seat) first."""
    require_manager(user, registration.webinar)
    with transaction.atomic():
        webinar = lock_webinar(registration.webinar)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("This person is not on the waitlist."))
        if free_seats(webinar) == 0:
            raise RegistrationError(
                _("The webinar is full: raise its capacity or cancel a seat first.")
            )
        change_status(registration, Registration.Status.CONFIRMED, notify="promoted")
    return registration


@transaction.atomic
def message_registrants(webinar, user, *, subject, body, statuses=None):
    """Email every registrant of ``webinar`` in ``statuses`` (default: confirmed and
    waitlisted). Each email is rendered in its recipient's language and time zone."""
    require_manager(user, webinar)
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


def replace_calendar_feed(user):
    """Give ``user`` a new private calendar address; the old one answers 404 from now on
    (for a person who shared it by mistake or whose calendar app was compromised)."""
    feed = calendar_feed_for(user)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed


def join_state(registration, now=None):
    """Whether ``registration``'s personal join link lets them in now: "open", or why not
    ("not_confirmed", "cancelled", "too_early", "ended", "no_link"). Only a confirmed
    registrant is let in, from ``join_opens_at`` until the end, once the link exists."""
    webinar = registration.webinar
    now = now or timezone.now()
    if registration.status != Registration.Status.CONFIRMED:
        return "not_confirmed"
    if webinar.status == WebinarPage.Status.CANCELLED:
        return "cancelled"
    if now < webinar.join_opens_at:
        return "too_early"
    if now > webinar.end:
        return "ended"
    if not webinar.join_url:
        return "no_link"
    return "open"


def record_join_click(registration):
    """Count a confirmed registrant's click on their join link."""
    now = timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.join_clicks += 1
        registration.first_joined_at = registration.first_joined_at or now
        registration.save(update_fields=["join_clicks", "first_joined_at"])
    return registration
