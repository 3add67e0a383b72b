"""Lesson and course completion: rules, sequential locks, recompute, certificates."""

import pytest
from django.core import mail

from courses import services
from courses.factories import LessonPageFactory, build_course
from courses.models import CompletionRule, CourseCompletion, LessonCompletion
from courses.signals import course_completed
from learning.models import Certificate

pytestmark = pytest.mark.django_db


def test_progress_counts_required_lessons_only(user):
    course, lessons = build_course(modules=2, lessons_per_module=2)
    lessons[3].required = False
    lessons[3].save_revision().publish()
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    progress = services.progress(course, user)
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)


def test_not_enrolled_learner_cannot_complete_a_lesson(user):
    course, lessons = build_course()
    with pytest.raises(services.LessonAccessDenied, match="Enrol in the course"):
        services.complete_lesson(lessons[0], user)
    assert not LessonCompletion.objects.exists()


def test_completion_rule_must_match(user):
    course, lessons = build_course(modules=1, lessons_per_module=1)
    lessons[0].completion_rule = CompletionRule.VIEWED
    lessons[0].save_revision().publish()
    services.enrol(course, user)
    with pytest.raises(services.EnrolmentError, match="not completed this way"):
        services.complete_lesson(lessons[0], user, via=CompletionRule.MANUAL)
    assert not LessonCompletion.objects.exists()


def test_sequential_course_locks_later_lessons(user):
    course, lessons = build_course(modules=2, lessons_per_module=1, sequential=True)
    services.enrol(course, user)
    with pytest.raises(services.LessonAccessDenied, match="previous lessons"):
        services.complete_lesson(lessons[1], user)
    assert not LessonCompletion.objects.exists()
    services.complete_lesson(lessons[0], user)
    services.complete_lesson(lessons[1], user)
    assert LessonCompletion.objects.filter(user=user).count() == 2


def test_course_completion_issues_one_certificate_signal_and_email(
    user, django_capture_on_commit_callbacks
):
    course, lessons = build_course(modules=1, lessons_per_module=2, issuer="CBD Secretariat")
    received = []

    def on_completed(sender, completion, user, course, **kwargs):
        received.append(completion)

    course_completed.connect(on_completed)
    try:
        services.enrol(course, user)
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_lesson(lessons[0], user)
            assert not CourseCompletion.objects.exists()
            services.complete_lesson(lessons[1], user)
            services.complete_lesson(lessons[1], user)  # twice: still one of everything
    finally:
        course_completed.disconnect(on_completed)

    completion = CourseCompletion.objects.get(course=course, user=user)
    assert completion.completed_at >= completion.started_at
    certificate = Certificate.objects.get(user=user)
    assert completion.certificate == certificate
    assert (certificate.title, certificate.issuer) == (course.title, "CBD Secretariat")
    assert certificate.recipient_name == user.profile.full_name
    assert received == [completion]
    assert len(mail.outbox) == 1
    assert certificate.code in mail.outbox[0].body
    assert course.title in mail.outbox[0].subject


def test_removing_the_last_missing_lesson_completes_the_course(
    user, django_capture_on_commit_callbacks
):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    with django_capture_on_commit_callbacks(execute=True):
        lessons[1].unpublish()
    assert CourseCompletion.objects.filter(course=course, user=user).count() == 1
    assert Certificate.objects.filter(user=user).count() == 1


def test_adding_a_lesson_later_keeps_completions_and_certificates(
    user, django_capture_on_commit_callbacks
):
    course, lessons = build_course(modules=1, lessons_per_module=1)
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    assert CourseCompletion.objects.filter(course=course, user=user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        new = LessonPageFactory(parent=lessons[0].get_parent(), live=False)
        new.save_revision().publish()
    assert services.progress(course, user).done == 1
    assert services.progress(course, user).total == 2
    # The achievement stays; finishing the new lesson does not issue a second certificate.
    services.complete_lesson(new, user)
    assert CourseCompletion.objects.filter(course=course, user=user).count() == 1
    assert Certificate.objects.filter(user=user).count() == 1
    assert LessonCompletion.objects.filter(user=user).count() == 2


def test_viewed_rule_completes_on_view(user, client):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    lessons[0].completion_rule = CompletionRule.VIEWED
    lessons[0].save_revision().publish()
    services.enrol(course, user)
    client.force_login(user)
    assert client.get(lessons[0].url).status_code == 200
    assert LessonCompletion.objects.filter(user=user, lesson=lessons[0]).exists()
    assert not LessonCompletion.objects.filter(user=user, lesson=lessons[1]).exists()
