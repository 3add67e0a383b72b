"""What course and lesson pages say: a failed attempt invites another try, visitors see
what enrolling opens rather than a wall of "locked", and the effort agrees with the
lessons."""

import json

import pytest
from django.urls import reverse

from courses import services
from courses.factories import build_course
from courses.models import CompletionRule
from tests.fixtures_h5p_play import statement

pytestmark = pytest.mark.django_db


def test_a_failed_attempt_reads_not_passed_yet_try_again(
    client, user, quick_check_content, django_capture_on_commit_callbacks
):
    course, (lesson,) = build_course(modules=1, lessons_per_module=1)
    lesson.completion_rule = CompletionRule.ACTIVITIES
    lesson.body = [("h5p", {"content": quick_check_content, "pass_mark": 80, "required": True})]
    lesson.save_revision().publish()
    services.enrol(course, user)
    client.force_login(user)
    html = client.get(lesson.url).content.decode()
    assert "Not passed yet — try again" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning:xapi_statements"),
            json.dumps(statement(lesson, quick_check_content, raw=0, success=False)),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content

    html = client.get(lesson.url).content.decode()
    assert "Not passed yet — try again" in html
    assert (
        f"“<bdi>{quick_check_content.title}</bdi>”: your best score is <bdi>0</bdi>%, "
        "the pass mark is <bdi>80</bdi>%." in html
    )
    assert "This lesson is done when you have completed its activities." not in html
    # The page fetches the same after an attempt, without reloading.
    state = client.get(reverse("courses:lesson_state", args=[lesson.pk])).json()
    assert state["done"] is False
    assert "Not passed yet — try again" in state["html"]["status"]


def test_visitors_see_what_enrolling_opens_not_locked_lessons(client, user):
    course, lessons = build_course(modules=2, lessons_per_module=2, sequential=True)
    html = client.get(course.url).content.decode()
    assert "locked" not in html.lower()
    assert "Enrolling opens these 4 lessons" in html
    assert all(lesson.title in html for lesson in lessons)
    assert 'class="lessons"' in html  # numbered, without marks

    client.force_login(user)
    services.enrol(course, user)
    html = client.get(course.url).content.decode()
    assert "Enrolling opens" not in html
    assert html.count("is-locked") == 3  # enrolled in a sequential course: locks mean something
    assert 'class="lessons with-marks"' in html


def test_effort_is_computed_from_lesson_durations_when_every_lesson_has_one(client):
    course, lessons = build_course(modules=1, lessons_per_module=3, effort_hours=3)
    assert "Estimated effort: 3 hours" in client.get(course.url).content.decode()
    for lesson, minutes in zip(lessons, (30, 30, 30), strict=True):
        lesson.duration_minutes = minutes
        lesson.save_revision().publish()
    assert "Estimated effort: 1 h 30 min" in client.get(course.url).content.decode()
    lessons[0].duration_minutes = 60
    lessons[0].save_revision().publish()
    assert "Estimated effort: 2 hours" in client.get(course.url).content.decode()
