"""The lesson state a lesson page fetches after an activity: the learner's own state, the
same fragments the page renders, and clear answers to anyone else."""

import pytest
from django.urls import reverse

from courses import services
from courses.factories import EnrolmentFactory, build_course
from courses.models import CompletionRule

pytestmark = pytest.mark.django_db


def _url(lesson):
    return reverse("courses:lesson_state", args=[lesson.pk])


def test_anonymous_and_unknown_lessons_get_a_clear_answer(client, user):
    _course, (lesson,) = build_course(modules=1, lessons_per_module=1)
    response = client.get(_url(lesson))
    assert response.status_code == 403
    assert response.json()["error"] == "Log in to see your progress."
    client.force_login(user)
    assert client.get(reverse("courses:lesson_state", args=[999999])).status_code == 404
    assert client.post(_url(lesson)).status_code == 405
    lesson.unpublish()
    assert client.get(_url(lesson)).status_code == 404


def test_state_follows_completion_and_opens_the_next_lesson(client, user, other_user):
    course, (first, second) = build_course(
        modules=1, lessons_per_module=2, sequential=True, title="Synergies"
    )
    EnrolmentFactory(course=course, user=user)
    client.force_login(user)

    data = client.get(_url(first)).json()
    assert data["done"] is False and data["locked"] is False
    assert data["progress"] == {"done": 0, "total": 2, "percent": 0}
    assert data["next_lesson"]["locked"] is True
    assert "<bdi>0</bdi> of <bdi>2</bdi> required lessons done" in data["html"]["syllabus"]
    assert "Lesson complete" not in data["html"]["status"]
    assert f'href="{second.url}"' not in data["html"]["nav"]

    services.complete_lesson(first, user, via=CompletionRule.MANUAL)
    response = client.get(_url(first))
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["done"] is True and data["course_complete"] is False
    assert data["progress"] == {"done": 1, "total": 2, "percent": 50}
    assert data["next_lesson"] == {
        "id": second.pk,
        "title": second.title,
        "url": second.url,
        "locked": False,
    }
    assert "<bdi>1</bdi> of <bdi>2</bdi> required lessons done" in data["html"]["syllabus"]
    assert "Lesson complete — continue" in data["html"]["status"]
    assert f'href="{second.url}"' in data["html"]["status"]
    assert f'href="{second.url}"' in data["html"]["nav"]

    # Another learner only ever sees their own state.
    client.force_login(other_user)
    data = client.get(_url(first)).json()
    assert data["done"] is False and data["locked"] is True


def test_last_lesson_done_points_to_the_certificate(client, user):
    course, (lesson,) = build_course(modules=1, lessons_per_module=1)
    EnrolmentFactory(course=course, user=user)
    services.complete_lesson(lesson, user, via=CompletionRule.MANUAL)
    client.force_login(user)
    data = client.get(_url(lesson)).json()
    assert data["course_complete"] is True and data["next_lesson"] is None
    assert "Course complete — congratulations!" in data["html"]["status"]
    assert f'href="{course.url}"' in data["html"]["status"]


def test_lesson_page_follows_progress_only_for_learners(client, user):
    course, (lesson,) = build_course(modules=1, lessons_per_module=1)
    EnrolmentFactory(course=course, user=user)
    client.force_login(user)
    html = client.get(lesson.url).content.decode()
    assert f'data-lesson-state-url="{_url(lesson)}"' in html
    assert "courses/lesson.js" in html
    assert "Mark as done" in html
