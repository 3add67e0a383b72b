"""Enrolment rules: modes, idempotency, unenrol history, prerequisites, approval."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from courses import permissions, services
from courses.factories import (
    CoursePageFactory,
    EnrolmentFactory,
    build_course,
    grant_page_permissions,
)
from courses.models import (
    CourseCompletion,
    Enrolment,
    EnrolmentMode,
    LessonCompletion,
    LessonPage,
)
from learning.factories import UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def test_enrol_open_course_is_idempotent(user):
    course, _lessons = build_course()
    first = services.enrol(course, user)
    second = services.enrol(course, user)
    assert first.pk == second.pk
    assert first.status == Status.ACTIVE
    assert Enrolment.objects.filter(course=course, user=user).count() == 1


def test_enrol_refuses_closed_unpublished_and_anonymous(user):
    from django.contrib.auth.models import AnonymousUser

    closed = CoursePageFactory(enrolment_mode=EnrolmentMode.CLOSED)
    draft = CoursePageFactory(live=False)
    with pytest.raises(services.EnrolmentError, match="does not accept new enrolments"):
        services.enrol(closed, user)
    with pytest.raises(services.EnrolmentError, match="not open for enrolment"):
        services.enrol(draft, user)
    with pytest.raises(services.EnrolmentError, match="Log in"):
        services.enrol(closed, AnonymousUser())
    assert not Enrolment.objects.exists()


def test_unenrol_keeps_history_and_completed_lessons_count_again(user):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    enrolment = services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    services.unenrol(enrolment, user=user)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.WITHDRAWN and enrolment.withdrawn_at
    assert LessonCompletion.objects.filter(user=user).count() == 1
    assert services.progress(course, user).done == 1

    again = services.enrol(course, user)
    assert again.pk == enrolment.pk and again.status == Status.ACTIVE
    assert again.withdrawn_at is None


def test_unenrol_by_someone_else_is_refused(user, other_user):
    course, _lessons = build_course()
    enrolment = services.enrol(course, user)
    with pytest.raises(PermissionDenied):
        services.unenrol(enrolment, user=other_user)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_prerequisite_blocks_enrolment_until_completed(user):
    basics, basic_lessons = build_course(modules=1, lessons_per_module=1, title="Basics")
    advanced = CoursePageFactory(title="Advanced")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()

    with pytest.raises(services.EnrolmentError, match="Complete these courses first: Basics"):
        services.enrol(advanced, user)
    assert not Enrolment.objects.filter(course=advanced).exists()

    services.enrol(basics, user)
    services.complete_lesson(basic_lessons[0], user)
    assert CourseCompletion.objects.filter(course=basics, user=user).exists()
    assert services.enrol(advanced, user).status == Status.ACTIVE


@pytest.fixture
def course_editor(db):
    return UserFactory(groups=[GROUP_COURSE_EDITORS])


@pytest.fixture
def approval_course(course_editor):
    course, _lessons = build_course(enrolment_mode=EnrolmentMode.APPROVAL)
    grant_page_permissions(course.get_parent(), GROUP_COURSE_EDITORS)
    return course


def test_approval_flow_pending_then_approved_with_email(
    user, course_editor, approval_course, django_capture_on_commit_callbacks
):
    user.profile.preferred_language = "fr"
    user.profile.save()
    enrolment = services.enrol(approval_course, user)
    assert enrolment.status == Status.PENDING
    lesson = LessonPage.objects.descendant_of(approval_course).first()
    assert permissions.lesson_access(lesson, user) == (
        False,
        "Enrol in the course to take this lesson.",
    )

    with pytest.raises(PermissionDenied):
        services.approve_enrolment(enrolment, user=user)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_enrolment(enrolment, user=course_editor, note="Bienvenue")
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE and enrolment.decided_by == course_editor
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert approval_course.title in mail.outbox[0].subject
    assert "Bienvenue" in mail.outbox[0].body
    # Rendered in the learner's language (French profile), whatever the editor's.
    assert mail.outbox[0].subject.startswith("Votre inscription au cours")
    assert "a été approuvée" in mail.outbox[0].body

    with pytest.raises(services.EnrolmentError, match="already been decided"):
        services.reject_enrolment(enrolment, user=course_editor)


def test_rejected_learner_is_emailed_and_cannot_request_again(
    user, course_editor, approval_course, django_capture_on_commit_callbacks
):
    enrolment = services.enrol(approval_course, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_enrolment(enrolment, user=course_editor, note="Full this term")
    enrolment.refresh_from_db()
    assert enrolment.status == Status.REJECTED
    assert "declined" in mail.outbox[-1].body and "Full this term" in mail.outbox[-1].body
    with pytest.raises(services.EnrolmentError, match="declined"):
        services.enrol(approval_course, user)


def test_editor_without_page_permission_cannot_approve(user, course_editor):
    course = CoursePageFactory(enrolment_mode=EnrolmentMode.APPROVAL)
    enrolment = EnrolmentFactory(course=course, user=user, status=Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.approve_enrolment(enrolment, user=course_editor)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING
