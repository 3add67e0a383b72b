"""Certificate rules of courses (see ``learning.certificate_rules``)."""

from learning.certificate_rules import Award, CertificateRule, register
from learning.models import Certificate

COURSE_COMPLETED = "course-completed"


@register
class CourseCompleted(CertificateRule):
    """Every required lesson of a course done: a course certificate."""

    key = "course-completed"
    occasion = COURSE_COMPLETED

    def award(self, user, *, course, completed_at):
        return Award(
            kind=Certificate.Kind.COURSE,
            source=course,
            title=course.title,
            issuer=course.issuer,
            achieved_at=completed_at,
            source_url=course.url or "",
        )
