"""Schedule changes: what a published webinar tells its registrants (new time,
cancellation, more seats), rescheduling, and the reminder rounds."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import page_cache
from learning.translations import canonical
from webinars import tasks
from webinars.models import Registration, WebinarPage

from .permissions import require_manager
from .registration import (
    RegistrationError,
    lock_webinar,
    promote_waitlisted,
    queue_registration_email,
)

logger = logging.getLogger(__name__)

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


def schedule_reminders(webinar):
    """Queue the webinar's 24 h and 1 h reminder rounds for its current schedule (its
    ``sequence``); each round emails the registrants confirmed at that moment. Rounds
    whose time has passed are not queued. One task per round, not per registrant, keeps
    registering cheap; the round fans out to one task per registrant. A translated
    version has no registrants of its own: only the canonical webinar has rounds."""
    if canonical(webinar).pk != webinar.pk:
        return
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


def apply_published_changes(webinar):
    """Tell registrants what changed when the webinar page is published: a new time
    (SEQUENCE + 1, updated invitation, reminders voided and rescheduled), a cancellation
    (METHOD:CANCEL), or more seats (waitlist promoted). Publishing a translated version
    tells nobody anything: registrants are the canonical webinar's, told when it is
    published."""
    if canonical(webinar).pk != webinar.pk:
        return webinar
    with transaction.atomic():
        webinar = lock_webinar(webinar)
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
            page_cache.invalidate_pages()  # the update sends no post_save
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
                queue_registration_email(registration, "webinar_cancelled")
            return webinar
        if rescheduled:
            for registration in active:
                queue_registration_email(registration, "rescheduled")
        if (first_publication or rescheduled or revived) and (
            webinar.status == WebinarPage.Status.SCHEDULED
        ):
            transaction.on_commit(lambda: schedule_reminders(webinar))
        if webinar.status == WebinarPage.Status.SCHEDULED and webinar.end > timezone.now():
            promote_waitlisted(webinar)
    return webinar


def reschedule(webinar, *, start, end, user):
    """Move a webinar to a new time: publishes a new revision of its page, which
    triggers ``apply_published_changes``."""
    require_manager(user, webinar)
    if end <= start:
        raise RegistrationError(_("The end must be after the start."))
    page = WebinarPage.objects.get(pk=webinar.pk).get_latest_revision_as_object()
    page.start, page.end = start, end
    with transaction.atomic():
        page.save_revision(user=user).publish(user=user)
    return WebinarPage.objects.get(pk=webinar.pk)
