"""What the webinars hold about a person, for the privacy room's export, erasure and
retention (registered with the ``learning_personal_data`` hook)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learning.privacy.registry import rows
from webinars.models import AttendanceRecord, CalendarFeed, Registration, WebinarPage, new_token
from webinars.services.registration import lock_webinar, promote_waitlisted


def _attendance_of(user):
    """Attendance rows about ``user``: matched to their registrations, or unmatched rows
    carrying their email."""
    mine = Q(registration__user=user)
    if user.email:
        mine |= Q(registration__isnull=True, email__iexact=user.email)
    return AttendanceRecord.objects.filter(mine)


class WebinarPersonalData:
    key = "webinars"

    def export(self, user):
        return {
            "registrations": rows(
                Registration.objects.filter(user=user).select_related("webinar"),
                extra=lambda r: {"webinar": r.webinar.title, "webinar_start": r.webinar.start},
            ),
            "attendance_report_rows": rows(
                _attendance_of(user).select_related("attendance_import__webinar"),
                exclude={"attendance_import", "registration"},
                extra=lambda a: {"webinar": a.attendance_import.webinar.title},
            ),
            "private_calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
        }

    def erase(self, user):
        now = timezone.now()
        upcoming = Registration.objects.filter(user=user, webinar__end__gt=now).exclude(
            status=Registration.Status.CANCELLED
        )
        for registration in upcoming.select_related("webinar"):
            # The seat goes to the next person on the waitlist, as with a cancellation
            # (no email to the erased person).
            with transaction.atomic():
                webinar = lock_webinar(registration.webinar)
                Registration.objects.filter(pk=registration.pk).update(
                    status=Registration.Status.CANCELLED, status_changed_at=now
                )
                if webinar.status == WebinarPage.Status.SCHEDULED:
                    promote_waitlisted(webinar)
        _attendance_of(user).update(name="", email="")
        for registration in Registration.objects.filter(user=user):
            registration.answers = {}
            registration.token = new_token()
            registration.save(update_fields=["answers", "token"])
        CalendarFeed.objects.filter(user=user).delete()

    def expire(self, cutoff):
        """Answers and attendance details of webinars that ended before ``cutoff``; what
        was counted (status, attended, minutes) stays."""
        answers = (
            Registration.objects.filter(webinar__end__lt=cutoff)
            .exclude(answers={})
            .update(answers={})
        )
        details = (
            AttendanceRecord.objects.filter(attendance_import__webinar__end__lt=cutoff)
            .exclude(name="", email="", first_join=None, last_leave=None)
            .update(name="", email="", first_join=None, last_leave=None)
        )
        return answers + details
