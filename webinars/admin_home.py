"""The organizer's panel on the Wagtail admin home: the next sessions of their series and
how full each is, each linking to its registrations."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from learning.timezones import zone_for_user
from learning.translations import canonical_only
from webinars.models import Registration
from webinars.services import managed_webinars, manages_any_series

Status = Registration.Status


class NextSessionsPanel(Component):
    name = "next_webinar_sessions"
    order = 110
    template_name = "webinars/admin_home/next_sessions.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        sessions = (
            canonical_only(managed_webinars(self.request.user))
            .filter(end__gte=timezone.now())
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
                waitlisted=Count(
                    "registrations", filter=Q(registrations__status=Status.WAITLISTED)
                ),
                pending=Count("registrations", filter=Q(registrations__status=Status.PENDING)),
            )
            .order_by("start", "pk")[:5]
        )
        rows = []
        for session in sessions:
            fill = round(100 * session.confirmed / session.capacity) if session.capacity else None
            rows.append({"session": session, "fill": fill})
        zone = zone_for_user(self.request.user, request=self.request)
        for row in rows:
            row["start"] = timezone.localtime(row["session"].start, zone)
        return {"rows": rows, "zone": zone}


def add_panel(request, panels):
    if request.user.is_authenticated and manages_any_series(request.user):
        panels.append(NextSessionsPanel(request))
