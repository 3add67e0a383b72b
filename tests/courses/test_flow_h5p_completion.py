"""End to end: enrol, play H5P activities (statements posted to the xAPI endpoint as the
player page relays them), lesson done, course done, certificate, public verification."""

import json

import pytest
from django.urls import reverse

from courses import services
from courses.factories import build_course
from courses.models import CompletionRule, CourseCompletion, LessonCompletion
from learning.models import ActivityProgress, Certificate, XAPIStatement
from tests.fixtures_h5p_play import statement

pytestmark = pytest.mark.django_db


def _h5p_lesson(lesson, content, pass_mark=None):
    lesson.completion_rule = CompletionRule.ACTIVITIES
    lesson.body = [
        ("text", "<p>Read this, then check your understanding.</p>"),
        ("h5p", {"content": content, "pass_mark": pass_mark, "required": True}),
    ]
    lesson.save_revision().publish()
    return lesson


def _post(client, payload):
    return client.post(
        reverse("learning:xapi_statements"), json.dumps(payload), content_type="application/json"
    )


def test_statements_complete_lesson_course_and_issue_a_verifiable_certificate(
    client, user, quick_check_content, django_capture_on_commit_callbacks
):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    first, second = lessons
    _h5p_lesson(first, quick_check_content, pass_mark=80)
    services.enrol(course, user)
    client.force_login(user)
    services.complete_lesson(second, user)

    page = client.get(first.url)
    assert page.status_code == 200
    assert "This lesson is done when you have completed its activities." in page.content.decode()

    # A failed attempt (score 0/1 under the pass mark): the activity is finished, not passed.
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, statement(first, quick_check_content, raw=0, success=False))
    assert response.status_code == 200, response.content
    assert not LessonCompletion.objects.filter(lesson=first).exists()
    assert not CourseCompletion.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, statement(first, quick_check_content, raw=1, success=True))
    assert response.status_code == 200, response.content
    assert LessonCompletion.objects.filter(lesson=first, user=user).exists()
    completion = CourseCompletion.objects.get(course=course, user=user)
    certificate = Certificate.objects.get(user=user)
    assert completion.certificate == certificate

    verify = client.get(reverse("learning:certificate_verify", args=[certificate.code]))
    html = verify.content.decode()
    assert verify.status_code == 200
    assert "This certificate is valid." in html
    assert course.title in html and user.profile.full_name in html
    pdf = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_statement_for_a_lesson_of_a_course_not_enrolled_in_is_refused(
    client, user, quick_check_content
):
    _course, lessons = build_course(modules=1, lessons_per_module=1)
    lesson = _h5p_lesson(lessons[0], quick_check_content)
    client.force_login(user)
    response = _post(client, statement(lesson, quick_check_content, raw=1, success=True))
    assert response.status_code == 403
    assert not XAPIStatement.objects.exists()
    assert not ActivityProgress.objects.exists()
    assert not LessonCompletion.objects.exists()


def test_statement_for_a_locked_lesson_is_refused(client, user, quick_check_content):
    course, lessons = build_course(modules=1, lessons_per_module=2, sequential=True)
    locked = _h5p_lesson(lessons[1], quick_check_content)
    services.enrol(course, user)
    client.force_login(user)
    response = _post(client, statement(locked, quick_check_content, raw=1, success=True))
    assert response.status_code == 403
    assert not XAPIStatement.objects.exists()
    assert not LessonCompletion.objects.exists()


def test_activity_progress_from_before_an_unpublished_requirement_counts_on_view(
    client, user, quick_check_content, django_capture_on_commit_callbacks
):
    """A learner who finished the activity, then saw the lesson's rule switched to
    activities by an editor, has the lesson completed when opening it."""
    course, lessons = build_course(modules=1, lessons_per_module=2)
    lesson = lessons[0]
    lesson.body = [("h5p", {"content": quick_check_content, "pass_mark": None, "required": True})]
    lesson.save_revision().publish()
    services.enrol(course, user)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, statement(lesson, quick_check_content, raw=1)).status_code == 200
    assert not LessonCompletion.objects.exists()  # the rule was "mark as done"
    _h5p_lesson(lesson, quick_check_content)
    assert client.get(lesson.url).status_code == 200
    assert LessonCompletion.objects.filter(lesson=lesson, user=user).exists()
