"""The read side of Reports › Courses. Every function takes a ``Scope`` (the courses the
viewer edits, already narrowed by the filters) and runs a fixed number of queries, however
many learners and statements there are.

Definitions (the README's "Reports" section repeats them):
- enrolments: learners admitted to a course in the period (``enrolled_at``); a learner who
  unenrolled later still counts, requests pending or declined do not;
- completions: courses completed in the period (``completed_at``);
- completion rate: of the enrolments of the period, the share whose learner has completed
  the course (at any time since);
- median time to complete: days from the start to the completion of the completions in
  the period;
- learners: people, each counted once however many courses they enrolled in (erased
  accounts included: they stay as anonymous rows and keep their country);
- drop-off (one course): of the enrolments of the period, how many completed each lesson,
  and how many fewer than at the step before;
- question difficulty: per question inside an H5P activity of the courses' lessons, the
  share of answers (child ``answered`` statements stored in the period) that were correct;
- certificates issued / revoked: course certificates issued / revoked in the period.
A country filter keeps the learners whose profile names that country.
"""

from dataclasses import dataclass, replace
from statistics import median

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek

from courses import syllabus
from courses.models import CourseCompletion, CoursePage, Enrolment, LessonCompletion, LessonPage
from courses.permissions import editable_courses
from learning.h5p.xapi import VERB_ANSWERED
from learning.models import Certificate, XAPIStatement
from learning.translations import canonical_only

Status = Enrolment.Status


def courses_in_scope(user, *, course=None, language=""):
    """The courses ``user`` may report on (course editors: theirs; administrators: all)."""
    courses = canonical_only(editable_courses(user))
    if course is not None:
        courses = courses.filter(pk=course.pk)
    if language:
        courses = courses.filter(language=language)
    return courses.order_by("title", "pk")


@dataclass
class Scope:
    courses: object  # queryset of CoursePage
    start: object = None  # aware datetimes, [start, end)
    end: object = None
    country: str = ""

    def during(self, field):
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lt": self.end})
        return condition

    def learners(self, prefix="user__"):
        return Q(**{f"{prefix}profile__country": self.country}) if self.country else Q()


def enrolments(scope):
    return Enrolment.objects.filter(
        scope.during("enrolled_at"),
        scope.learners(),
        course__in=scope.courses.values("pk"),
        enrolled_at__isnull=False,
    )


def completions(scope):
    return CourseCompletion.objects.filter(
        scope.during("completed_at"), scope.learners(), course__in=scope.courses.values("pk")
    )


def certificates(scope, field):
    # ``field`` set: without a date range, "revoked" must not count every certificate.
    return Certificate.objects.filter(
        scope.during(field),
        scope.learners(),
        **{f"{field}__isnull": False},
        kind=Certificate.Kind.COURSE,
        source_object_id__in=scope.courses.values("pk"),
    )


def _days(started, completed):
    return (completed - started).total_seconds() / 86400


def _median(values):
    return round(median(values), 1) if values else None


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class CourseFigures:
    course: object
    enrolments: int = 0
    withdrawn: int = 0
    enrolled_and_completed: int = 0
    completions: int = 0
    median_days: float | None = None
    certificates_issued: int = 0
    certificates_revoked: int = 0

    @property
    def completion_rate(self):
        return _rate(self.enrolled_and_completed, self.enrolments)


@dataclass
class Headline:
    courses: int
    enrolments: int
    learners: int
    completions: int
    completion_rate: float | None
    median_days: float | None
    certificates_issued: int
    certificates_revoked: int


def figures(scope):
    """``(headline, [CourseFigures])``: seven queries."""
    rows = {course.pk: CourseFigures(course) for course in scope.courses}
    completed = CourseCompletion.objects.filter(course=OuterRef("course"), user=OuterRef("user"))
    for row in (
        enrolments(scope)
        .values("course_id")
        .annotate(
            n=Count("pk"),
            withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
            completed=Count("pk", filter=Q(Exists(completed))),
        )
        .order_by()
    ):
        figures_of = rows[row["course_id"]]
        figures_of.enrolments = row["n"]
        figures_of.withdrawn = row["withdrawn"]
        figures_of.enrolled_and_completed = row["completed"]
    durations = {}
    for course_id, started, done in completions(scope).values_list(
        "course_id", "started_at", "completed_at"
    ):
        durations.setdefault(course_id, []).append(_days(started, done))
    for course_id, days in durations.items():
        rows[course_id].completions = len(days)
        rows[course_id].median_days = _median(days)
    for field, attribute in (
        ("issued_at", "certificates_issued"),
        ("revoked_at", "certificates_revoked"),
    ):
        for source_id, n in (
            certificates(scope, field)
            .values_list("source_object_id")
            .annotate(n=Count("pk"))
            .values_list("source_object_id", "n")
            .order_by()
        ):
            if source_id in rows:
                setattr(rows[source_id], attribute, n)
    per_course = list(rows.values())
    enrolled = sum(row.enrolments for row in per_course)
    headline = Headline(
        courses=len(per_course),
        enrolments=enrolled,
        learners=enrolments(scope).values("user").distinct().count(),
        completions=sum(row.completions for row in per_course),
        completion_rate=_rate(sum(row.enrolled_and_completed for row in per_course), enrolled),
        median_days=_median([day for days in durations.values() for day in days]),
        certificates_issued=sum(row.certificates_issued for row in per_course),
        certificates_revoked=sum(row.certificates_revoked for row in per_course),
    )
    return headline, per_course


def per_week(queryset, field, zone):
    """``[(monday, count)]`` of ``queryset`` by ``field``, weeks starting on Monday in ``zone``."""
    return list(
        queryset.annotate(week=TruncWeek(field, tzinfo=zone))
        .values_list("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
        .order_by("week")
    )


def by_country(scope):
    """``{country code: learners}`` enrolled in the period, each person once per country."""
    return dict(
        enrolments(scope)
        .values_list("user__profile__country")
        .annotate(count=Count("user", distinct=True))
        .values_list("user__profile__country", "count")
        .order_by()
    )


def funnel(course, scope):
    """``[(step, learners, drop-off)]`` for one course: the enrolments of the period, then
    each lesson in syllabus order with those of them who completed it. Three queries."""
    cohort = enrolments(replace(scope, courses=CoursePage.objects.filter(pk=course.pk)))
    started = cohort.count()
    done = dict(
        course.lesson_completions.filter(user__in=cohort.values("user"))
        .values_list("lesson_id")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "n")
        .order_by()
    )
    steps, previous = [], started
    for state in syllabus.course_state(course, None).lessons:
        count = done.get(state.lesson.pk, 0)
        steps.append((state, count, max(previous - count, 0)))
        previous = count
    return started, steps


def questions(scope):
    """Per question (hardest first): ``dict(content, question, answers, correct, learners,
    share)``. Two queries."""
    paths = list(scope.courses.values_list("path", flat=True))
    if not paths:
        return []
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    lessons = LessonPage.objects.filter(within).values("pk")
    rows = list(
        XAPIStatement.objects.filter(
            scope.during("stored_at"),
            scope.learners(),
            page_id__in=lessons,
            is_child=True,
            verb=VERB_ANSWERED,
        )
        .values("content_id", "sub_content_id")
        .annotate(
            title=Max("content__title"),
            question=Max("question"),
            answers=Count("pk"),
            correct=Count("pk", filter=Q(success=True)),
            learners=Count("user", distinct=True),
        )
        .order_by()
    )
    for row in rows:
        row["share"] = _rate(row["correct"], row["answers"])
    return sorted(rows, key=lambda row: (row["share"], row["title"], row["question"]))


PEOPLE_FIELDS = (
    "course__title",
    "user__profile__full_name",
    "user__email",
    "user__profile__country",
    "status",
    "enrolled_at",
    "completion_at",
)


def people(scope, enrolments_behind=None):
    """The enrolments behind the figures (or ``enrolments_behind``, those behind one
    figure) as tuples of ``PEOPLE_FIELDS`` (iterate them: an export of 100,000 rows never
    holds them all)."""
    completed_at = CourseCompletion.objects.filter(
        course=OuterRef("course"), user=OuterRef("user")
    ).values("completed_at")[:1]
    queryset = enrolments(scope) if enrolments_behind is None else enrolments_behind
    return (
        queryset.annotate(completion_at=Subquery(completed_at))
        .order_by("course__title", "enrolled_at", "pk")
        .values_list(*PEOPLE_FIELDS)
    )


# The figures a number on the report can lead down from (``learners_behind``).
FIGURES = ("enrolments", "withdrawn", "enrolled_completed", "completions", "lesson", "stopped")


def learners_behind(scope, figure, *, lesson=None, previous=None):
    """The enrolments behind one figure, as many rows as the figure counts:

    - ``enrolments``: the period's enrolments; ``withdrawn``: those of them who unenrolled;
      ``enrolled_completed``: those of them who completed the course (at any time);
    - ``completions``: the enrolments whose learner completed the course in the period;
    - ``lesson`` (one course): the period's enrolments whose learner completed ``lesson``;
    - ``stopped`` (one course): those who completed ``previous`` (the lesson before, or
      enrolled when ``lesson`` is the first) but not ``lesson``: in a course taken in
      order, the drop-off at ``lesson``.
    """
    course_completed = CourseCompletion.objects.filter(
        course=OuterRef("course"), user=OuterRef("user")
    )
    cohort = enrolments(scope)
    if figure == "enrolments":
        return cohort
    if figure == "withdrawn":
        return cohort.filter(status=Status.WITHDRAWN)
    if figure == "enrolled_completed":
        return cohort.filter(Exists(course_completed))
    if figure == "completions":
        in_period = completions(scope).filter(course=OuterRef("course"), user=OuterRef("user"))
        return Enrolment.objects.filter(course__in=scope.courses.values("pk")).filter(
            Exists(in_period)
        )

    def did(step):
        return Exists(LessonCompletion.objects.filter(lesson=step, user=OuterRef("user")))

    if figure == "lesson":
        return cohort.filter(did(lesson))
    if figure == "stopped":
        if previous is not None:
            cohort = cohort.filter(did(previous))
        return cohort.exclude(did(lesson))
    raise ValueError(figure)
