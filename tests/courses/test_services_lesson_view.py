"""What opening a course or a lesson decides (``courses.services``): the enrolment
options the course page renders and ``enrol`` obeys, and the only writes a lesson view
makes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses import services
from courses.factories import CoursePageFactory, build_course
from courses.models import (
    CompletionRule,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    LessonCompletion,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def _options(course, user):
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(course=course, user=user).first()
    return services.enrolment_options(course, user, enrolment)


def test_enrolment_options_are_what_enrol_obeys(user):
    basics = CoursePageFactory(title="Basics")
    advanced, _lessons = build_course(enrolment_mode=EnrolmentMode.APPROVAL)
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    advanced = CoursePage.objects.get(pk=advanced.pk)

    anonymous = _options(advanced, AnonymousUser())
    assert anonymous.may_ask and not anonymous.can_enrol and anonymous.needs_login
    blocked = _options(advanced, user)
    assert [course.title for course in blocked.missing_prerequisites] == ["Basics"]
    assert not blocked.can_enrol
    with pytest.raises(services.EnrolmentError) as refused:
        services.enrol(advanced, user)
    assert str(refused.value) == blocked.refusal

    advanced.prerequisites.clear()
    advanced.save_revision().publish()
    advanced = CoursePage.objects.get(pk=advanced.pk)
    open_to_ask = _options(advanced, user)
    assert open_to_ask.can_enrol and open_to_ask.needs_approval
    services.enrol(advanced, user)
    pending = _options(advanced, user)
    assert pending.pending and pending.can_leave and not pending.may_ask


def test_a_closed_course_refuses_with_the_reason_the_page_shows(user):
    course, _lessons = build_course(enrolment_mode=EnrolmentMode.CLOSED)
    options = _options(course, user)
    assert options.closed and not options.can_enrol
    with pytest.raises(services.EnrolmentError, match=options.refusal):
        services.enrol(course, user)


@pytest.mark.parametrize(
    "rule, completed",
    [
        (CompletionRule.MANUAL, False),
        (CompletionRule.ACTIVITIES, False),  # its activity is not finished yet
        (CompletionRule.VIEWED, True),
    ],
)
def test_opening_a_lesson_completes_it_only_when_its_rule_says_viewing_does(
    user, quick_check_content, rule, completed
):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    lessons[0].completion_rule = rule
    lessons[0].body = [
        ("h5p", {"content": quick_check_content, "pass_mark": None, "required": True})
    ]
    lessons[0].save_revision().publish()
    services.enrol(course, user)
    state = services.open_lesson(lessons[0], user)
    assert LessonCompletion.objects.filter(lesson=lessons[0]).exists() is completed
    assert state.by_id[lessons[0].pk].done is completed
    # The one other write: the lesson opened last, for "continue where you left off".
    assert Enrolment.objects.get(user=user).last_lesson_id == lessons[0].pk


def test_opening_a_locked_lesson_is_refused_and_writes_nothing(user):
    course, lessons = build_course(modules=1, lessons_per_module=2, sequential=True)
    services.enrol(course, user)
    with pytest.raises(services.LessonAccessDenied, match="previous lessons"):
        services.open_lesson(lessons[1], user)
    assert Enrolment.objects.get(user=user).last_lesson_id is None
