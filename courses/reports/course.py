"""Per-course figures for course editors: enrolment funnel, completion, time to complete,
drop-off per lesson and H5P scores. A fixed number of queries per course."""

from dataclasses import dataclass
from statistics import median

from django.db.models import Avg, Count, Q

from courses import syllabus
from courses.models import CourseCompletion, Enrolment, LessonCompletion
from learning.h5p.access import page_activities
from learning.models import ActivityProgress, H5PContent

Status = Enrolment.Status


@dataclass
class LessonRow:
    number: int
    lesson: object
    module: object
    completed: int
    percent: int
    drop_off: int  # learners who completed the previous lesson but not this one


@dataclass
class ActivityRow:
    lesson: object
    content: object
    learners: int
    completed: int
    average_best: float | None  # percent
    average_attempts: float | None


@dataclass
class CourseReport:
    course: object
    enrolled: int
    pending: int
    withdrawn: int
    in_progress: int  # admitted, still enrolled, not completed
    completed: int
    completion_rate: int
    median_days: float | None
    lessons: list
    activities: list


def _percent(part, whole):
    return round(100 * part / whole) if whole else 0


def course_report(course):
    state = syllabus.course_state(course, None)
    counts = Enrolment.objects.filter(course=course).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    completions = list(
        CourseCompletion.objects.filter(course=course).values_list("started_at", "completed_at")
    )
    durations = [(end - start).total_seconds() / 86400 for start, end in completions]
    # Everyone who was ever admitted, including those who left: completion rate's base.
    admitted = counts[Status.ACTIVE] + counts[Status.WITHDRAWN]
    completed = len(completions)
    lesson_counts = dict(
        LessonCompletion.objects.filter(course=course)
        .values_list("lesson_id")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "n")
    )
    in_progress = (
        Enrolment.objects.filter(course=course, status=Status.ACTIVE)
        .exclude(user__course_completions__course=course)
        .count()
    )
    lessons, previous = [], None
    for item in state.lessons:
        done = lesson_counts.get(item.lesson.pk, 0)
        lessons.append(
            LessonRow(
                number=item.number,
                lesson=item.lesson,
                module=item.module,
                completed=done,
                percent=_percent(done, admitted),
                drop_off=max(previous - done, 0)
                if previous is not None
                else max(admitted - done, 0),
            )
        )
        previous = done
    return CourseReport(
        course=course,
        enrolled=admitted,
        pending=counts[Status.PENDING],
        withdrawn=counts[Status.WITHDRAWN],
        in_progress=in_progress,
        completed=completed,
        completion_rate=_percent(completed, admitted),
        median_days=round(median(durations), 1) if durations else None,
        lessons=lessons,
        activities=_activities(state),
    )


def _activities(state):
    placed = [
        (item.lesson, activity)
        for item in state.lessons
        for activity in page_activities(item.lesson)
    ]
    if not placed:
        return []
    stats = {
        (row["page_id"], row["content_id"]): row
        for row in ActivityProgress.objects.filter(
            page_id__in={lesson.pk for lesson, _a in placed},
            content_id__in={activity.content_id for _l, activity in placed},
        )
        .values("page_id", "content_id")
        .annotate(
            learners=Count("pk"),
            completed=Count("pk", filter=Q(completed=True)),
            average_best=Avg("best_score"),
            average_attempts=Avg("attempts"),
        )
    }
    contents = H5PContent.objects.in_bulk({activity.content_id for _l, activity in placed})
    rows = []
    for lesson, activity in placed:
        row = stats.get((lesson.pk, activity.content_id), {})
        best = row.get("average_best")
        attempts = row.get("average_attempts")
        rows.append(
            ActivityRow(
                lesson=lesson,
                content=contents.get(activity.content_id),
                learners=row.get("learners", 0),
                completed=row.get("completed", 0),
                average_best=round(best * 100, 1) if best is not None else None,
                average_attempts=round(attempts, 1) if attempts is not None else None,
            )
        )
    return rows


def learner_rows(course):
    """One row per enrolment for the CSV export: a fixed number of queries."""
    state = syllabus.course_state(course, None)
    required = {item.lesson.pk for item in state.lessons if item.lesson.required}
    done = {}
    for user_id, lesson_id in LessonCompletion.objects.filter(course=course).values_list(
        "user_id", "lesson_id"
    ):
        if lesson_id in required:
            done[user_id] = done.get(user_id, 0) + 1
    completions = {
        completion.user_id: completion
        for completion in CourseCompletion.objects.filter(course=course).select_related(
            "certificate"
        )
    }
    enrolments = (
        Enrolment.objects.filter(course=course)
        .select_related("user__profile")
        .order_by("requested_at")
    )
    for enrolment in enrolments:
        completion = completions.get(enrolment.user_id)
        yield enrolment, done.get(enrolment.user_id, 0), len(required), completion
