"""Sections webinars contributes to the home page and to "My learning"."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from learning.models import Certificate
from learning.panels import Panel
from learning.translations import in_active_language, localized_map
from webinars import services
from webinars.models import Registration, WebinarPage, WebinarSeriesPage


class UpcomingWebinarsPanel(Panel):
    order = 200
    shared = True  # the same for everyone: public pages only
    template_name = "webinars/panels/home_upcoming.html"

    def get_context_data(self):
        return {
            "webinars": in_active_language(WebinarPage.objects.live().public())
            .filter(end__gte=timezone.now())
            .exclude(status=WebinarPage.Status.CANCELLED)
            .order_by("start")[:4],
            "series": in_active_language(WebinarSeriesPage.objects.live().public())
            .order_by("path")
            .first(),
        }


class MyUpcomingWebinarsPanel(Panel):
    order = 200
    template_name = "webinars/panels/my_upcoming.html"

    def is_shown(self):
        return self.request.user.is_authenticated

    def get_context_data(self):
        user = self.request.user
        registrations = (
            Registration.objects.filter(
                user=user, webinar__live=True, webinar__end__gte=timezone.now()
            )
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("webinar")
            .order_by("webinar__start")
        )
        confirmed = Registration.Status.CONFIRMED
        # With each registration, whether its join link lets them in now.
        rows = [
            (r, services.join_state(r) if r.status == confirmed else None) for r in registrations
        ]
        _show_in_active_language(registrations)
        return {"rows": rows, "feed": services.calendar_feed_for(user)}


class PastAttendancePanel(Panel):
    """Past sessions the learner registered for, with attendance and certificates."""

    order = 210
    template_name = "webinars/panels/past_attendance.html"

    def is_shown(self):
        return self.request.user.is_authenticated

    def get_context_data(self):
        user = self.request.user
        registrations = list(
            Registration.objects.filter(
                user=user,
                status=Registration.Status.CONFIRMED,
                webinar__live=True,
                webinar__end__lt=timezone.now(),
            )
            .select_related("webinar")
            .order_by("-webinar__start")[:20]
        )
        certificates = {
            certificate.source_object_id: certificate
            for certificate in Certificate.objects.filter(
                user=user,
                kind=Certificate.Kind.WEBINAR,
                source_content_type=ContentType.objects.get_for_model(WebinarPage),
                source_object_id__in=[r.webinar_id for r in registrations],
            ).order_by("issued_at", "pk")  # a re-issued certificate after the revoked one
        }
        rows = [(r, certificates.get(r.webinar_id)) for r in registrations]
        _show_in_active_language(registrations)
        return {"rows": rows}


def _show_in_active_language(registrations):
    """Registrations are the canonical webinars'; show each webinar in the person's
    language where it is translated (after the rules have read the canonical one)."""
    registrations = list(registrations)
    shown = localized_map([r.webinar for r in registrations])
    for registration in registrations:
        registration.webinar = shown[registration.webinar_id]
