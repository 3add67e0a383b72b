"""The courses section of the programme summary (``learning.reports.summary``): in the
period, enrolments, completions and the learners who completed, for the courses the viewer
edits (administrators: all), with completions per course and where learners came from."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from courses.models import CourseCompletion, Enrolment
from courses.permissions import editable_courses, edits_any_course
from learning.reports.charts import bar_chart
from learning.reports.summary import Section
from learning.translations import canonical_only


def _in_range(field, start, end):
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


class CourseSummary:
    order = 20

    def in_scope(self, user):
        return edits_any_course(user)

    def section(self, user, start, end, zone):
        courses = canonical_only(editable_courses(user)).values("pk")
        enrolments = Enrolment.objects.filter(
            _in_range("enrolled_at", start, end), course__in=courses, enrolled_at__isnull=False
        )
        completions = CourseCompletion.objects.filter(
            _in_range("completed_at", start, end), course__in=courses
        )
        totals = completions.aggregate(
            completions=Count("pk"),
            learners=Count("user", distinct=True),
            certificates=Count("certificate", filter=Q(certificate__revoked_at__isnull=True)),
        )
        per_course = [
            (title, n)
            for title, n in completions.values_list("course__title")
            .annotate(n=Count("pk"))
            .order_by("-n", "course__title")
        ]
        countries = set(
            enrolments.exclude(user__profile__country="").values_list(
                "user__profile__country", flat=True
            )
        ) | set(
            completions.exclude(user__profile__country="").values_list(
                "user__profile__country", flat=True
            )
        )
        return Section(
            "courses",
            _("Self-paced courses"),
            [
                (_("Enrolments"), enrolments.count()),
                (_("Course completions"), totals["completions"]),
                (_("Learners who completed a course"), totals["learners"]),
                (_("Certificates issued (not revoked)"), totals["certificates"]),
            ],
            charts=[
                bar_chart(
                    "courses-completions",
                    _("Completions per course"),
                    per_course,
                    [_("Course"), _("Completions")],
                )
            ],
            countries={str(code) for code in countries if code},
        )
