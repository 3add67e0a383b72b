"""Who may do what with courses: learners and lessons, course editors and enrolments.

A *course editor* of a course is defined once, by ``is_course_editor``: an active user
who may edit the course's page in Wagtail (the page permission "change" on it or on an
ancestor, as the page explorer grants it; superusers everywhere). ``editable_courses`` is
the same definition as a queryset. What a course editor may do beyond editing the page
comes from model permissions, checked first because they are cheap: the admin screens
need ``courses.view_enrolment``, deciding on enrolments ``courses.change_enrolment``,
seeing lessons as a learner would (untracked) ``wagtailadmin.access_admin``.
"""

from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses import syllabus
from courses.models import CoursePage, LessonPage
from learning.admin_scope import remembered

ENROLMENT_VIEW_PERMISSION = "courses.view_enrolment"
ENROLMENT_CHANGE_PERMISSION = "courses.change_enrolment"
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"

_pages = PagePermissionPolicy()


def is_course_editor(user, course):
    """May ``user`` edit ``course``'s page? The one definition of a course editor."""
    if user is None or not user.is_authenticated:
        return False
    return _pages.user_has_permission_for_instance(user, "change", course)


def editable_courses(user):
    """The courses ``user`` is a course editor of."""
    pages = _pages.instances_user_has_any_permission_for(user, ["change"])
    return CoursePage.objects.filter(pk__in=pages.values("pk"))


def edits_any_course(user):
    """Is ``user`` a course editor of at least one course? Asked once per request: the
    admin menu, home panels and reports share it."""
    if user is None or not user.is_authenticated:
        return False
    return remembered(user, "edits_courses", lambda: editable_courses(user).exists())


def may_review_enrolments(user):
    """May ``user`` open the course enrolment screens (for their ``editable_courses``)?"""
    return user is not None and user.has_perm(ENROLMENT_VIEW_PERMISSION)


def can_manage_enrolments(user, course):
    """May ``user`` approve, reject and end other people's enrolments in ``course``?"""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm(ENROLMENT_CHANGE_PERMISSION)
        and is_course_editor(user, course)
    )


def sees_lessons_as_editor(user, course):
    """Does ``user`` open ``course``'s lessons in the editor view: shown as learners see
    them, whether enrolled or not, locked or not, and nothing recorded?"""
    return (
        user is not None
        and user.is_authenticated
        and user.has_perm(ADMIN_ACCESS_PERMISSION)
        and is_course_editor(user, course)
    )


def lesson_access(lesson, user, course=None, state=None):
    """``(allowed, reason)``: may ``user`` take ``lesson`` now (enrolled and unlocked)?
    ``state`` is the learner's ``CourseState`` when the caller already has it."""
    course = course or lesson.get_course()
    if course is None or not course.live or not lesson.live:
        return False, _("This lesson is not available.")
    if user is None or not user.is_authenticated:
        return False, _("Log in and enrol in the course to take this lesson.")
    state = state or syllabus.course_state(course, user)
    if state.enrolment is None or not state.enrolment.is_active:
        return False, _("Enrol in the course to take this lesson.")
    lesson_state = state.by_id.get(lesson.pk)
    if lesson_state is None:
        return False, _("This lesson is not available.")
    if lesson_state.locked:
        return False, _("Finish the previous lessons first: this course is taken in order.")
    return True, ""


def lesson_access_hook(user, content, page):
    """``learning_h5p_access`` policy: on a lesson, only active learners of its course whose
    lesson is unlocked may play and be tracked; other pages are not our business."""
    if not isinstance(page, LessonPage):
        specific = getattr(page, "specific_class", None)
        if specific is not LessonPage:
            return None
        page = page.specific
    allowed, _reason = lesson_access(page, user)
    return allowed
