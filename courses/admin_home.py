"""The course editor's panel on the Wagtail admin home: enrolments and completions this
month (in the editor's time zone) in the courses they edit."""

from datetime import datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from courses.models import Enrolment
from courses.permissions import editable_courses, edits_any_course
from learning.timezones import zone_for_user
from learning.translations import canonical_only


class CoursesThisMonthPanel(Component):
    name = "courses_this_month"
    order = 120
    template_name = "courses/admin_home/this_month.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        zone = zone_for_user(self.request.user, request=self.request)
        today = timezone.localtime(timezone.now(), zone).date()
        month_start = datetime.combine(today.replace(day=1), time.min, zone)
        courses = (
            canonical_only(editable_courses(self.request.user))
            .annotate(
                enrolled_this_month=Count(
                    "enrolments",
                    filter=Q(
                        enrolments__enrolled_at__gte=month_start,
                        enrolments__status=Enrolment.Status.ACTIVE,
                    ),
                    distinct=True,
                ),
                awaiting=Count(
                    "enrolments",
                    filter=Q(enrolments__status=Enrolment.Status.PENDING),
                    distinct=True,
                ),
                completed_this_month=Count(
                    "completions",
                    filter=Q(completions__completed_at__gte=month_start),
                    distinct=True,
                ),
            )
            .order_by("title")[:10]
        )
        return {"courses": courses, "month": month_start}


def add_panel(request, panels):
    if request.user.is_authenticated and edits_any_course(request.user):
        panels.append(CoursesThisMonthPanel(request))
