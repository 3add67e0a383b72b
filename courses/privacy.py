"""What the courses hold about a person, for the privacy room's export and erasure
(registered with the ``learning_personal_data`` hook)."""

from courses.models import CourseCompletion, Enrolment, LessonCompletion
from learning.privacy.registry import rows


def _titled(field):
    return lambda obj: {field: getattr(obj, field).title}


class CoursePersonalData:
    key = "courses"

    def export(self, user):
        return {
            "enrolments": rows(
                Enrolment.objects.filter(user=user).select_related("course", "last_lesson"),
                exclude={"decided_by", "last_lesson"},
                extra=_titled("course"),
            ),
            "lessons_done": rows(
                LessonCompletion.objects.filter(user=user).select_related("lesson", "course"),
                extra=lambda c: {"course": c.course.title, "lesson": c.lesson.title},
            ),
            "courses_completed": rows(
                CourseCompletion.objects.filter(user=user).select_related("course"),
                exclude={"certificate"},
                extra=_titled("course"),
            ),
        }

    def erase(self, user):
        # Enrolments, lessons done and completions are counted in the course reports;
        # they stay with the anonymous account. The note an editor wrote to the person
        # may name them.
        Enrolment.objects.filter(user=user).update(decision_note="")
