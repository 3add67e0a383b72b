"""Background tasks of webinars (django-tasks). They take ids, never model instances,
and re-read what they need: the world may have changed since they were queued."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from learning.delivery import current_delivery, side_effect_task
from learning.models import Certificate
from learning.translations import canonical
from webinars import calendar, emails
from webinars.models import Registration, WebinarPage

# What each kind of registration email says, and which invitation it carries.
REGISTRATION_EMAILS = {
    "confirmed": ("confirmed", "REQUEST"),
    "promoted": ("promoted", "REQUEST"),
    "rescheduled": ("rescheduled", "REQUEST"),
    "waitlisted": ("waitlisted", None),
    "pending": ("pending", None),
    "rejected": ("rejected", None),
    "cancelled": ("cancelled", "CANCEL"),
    "webinar_cancelled": ("webinar_cancelled", "CANCEL"),
}
REMINDER_FLAGS = {"24h": "reminder_24h_sent_at", "1h": "reminder_1h_sent_at"}


def _registration(registration_id):
    return (
        Registration.objects.select_related("webinar", "user__profile")
        .filter(pk=registration_id)
        .first()
    )


@side_effect_task()
def send_registration_email(registration_id, kind):
    registration = _registration(registration_id)
    if registration is None:
        return False
    template, method = REGISTRATION_EMAILS[kind]
    if method == "REQUEST" and not registration.is_confirmed:
        # A seat offered by the waitlist or a new time only matters to someone who has
        # a seat; a waitlisted person is told about the new time without an invitation.
        method = None
        if kind != "rescheduled":
            return False
    ics = None
    if method:
        ics = calendar.invitation(registration, cancel=method == "CANCEL")
    emails.build(registration, template, ics=ics, ics_method=method or "REQUEST").send()
    return True


@task()
def send_reminders(webinar_id, kind, sequence):
    """A reminder round: queue one reminder per confirmed registrant, unless the webinar
    was rescheduled since the round was queued (the new schedule has its own round)."""
    webinar = WebinarPage.objects.filter(pk=webinar_id).first()
    if (
        webinar is None
        or canonical(webinar).pk != webinar.pk  # a translated version has no rounds
        or webinar.sequence != sequence
        or webinar.status != WebinarPage.Status.SCHEDULED
    ):
        return 0
    registration_ids = list(
        Registration.objects.filter(
            webinar=webinar,
            status=Registration.Status.CONFIRMED,
            **{f"{REMINDER_FLAGS[kind]}__isnull": True},
        ).values_list("pk", flat=True)
    )
    for registration_id in registration_ids:
        send_reminder.enqueue(registration_id, kind, sequence)
    return len(registration_ids)


@side_effect_task()
def send_reminder(registration_id, kind, sequence):
    """Send one reminder exactly once, even when two workers run it at the same time or
    the webinar was rescheduled since it was queued (then ``sequence`` is stale and the
    reminder queued for the new time is the one that counts)."""
    flag = REMINDER_FLAGS[kind]
    now = timezone.now()
    # The claim is the delivery's start time: a run of this same task recovered from a
    # worker that died after claiming knows the claim as its own and sends.
    delivery = current_delivery()
    claim = delivery.started_at if delivery is not None else now
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("webinar")
            .filter(pk=registration_id)
            .first()
        )
        if (
            registration is None
            or registration.status != Registration.Status.CONFIRMED
            or getattr(registration, flag) not in (None, claim)
            or registration.webinar.sequence != sequence
            or registration.webinar.status != WebinarPage.Status.SCHEDULED
            or registration.webinar.start <= now
        ):
            return False
        # Claimed before sending: a second worker now finds the flag set and stops.
        setattr(registration, flag, claim)
        registration.save(update_fields=[flag])
    registration = _registration(registration_id)
    try:
        emails.build(registration, f"reminder_{kind}").send()
    except Exception:
        # Release the claim so a retry can send it.
        Registration.objects.filter(pk=registration_id, **{flag: claim}).update(**{flag: None})
        raise
    return True


@side_effect_task()
def send_message(registration_id, subject, body):
    registration = _registration(registration_id)
    if registration is None:
        return False
    emails.build(registration, "message", context={"subject": subject, "message": body}).send()
    return True


@side_effect_task()
def send_follow_up_email(registration_id, certificate_ids):
    registration = _registration(registration_id)
    if registration is None:
        return False
    webinar = registration.webinar
    certificates = [
        {"certificate": certificate, **emails.certificate_links(certificate)}
        for certificate in Certificate.objects.filter(pk__in=certificate_ids).order_by("kind")
    ]
    documents = [
        {"label": link.label, "url": calendar.absolute_url(link.document.url)}
        for link in webinar.documents.select_related("document")
    ]
    template = "follow_up_attendee" if registration.attended else "follow_up_absentee"
    emails.build(
        registration,
        template,
        context={"certificates": certificates, "documents": documents},
    ).send()
    return True
