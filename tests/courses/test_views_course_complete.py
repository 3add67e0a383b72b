"""The course-complete state: congratulations, certificate and its verification link, the
next course, and nothing to leave."""

import pytest
from django.urls import reverse

from courses import services
from courses.factories import build_course
from courses.models import CourseCompletion, Enrolment

pytestmark = pytest.mark.django_db


def test_last_lesson_done_redirects_to_the_course_with_congratulations(client, user):
    course, (lesson,) = build_course(modules=1, lessons_per_module=1)
    follow_up, _lessons = build_course(modules=1, lessons_per_module=1, title="Next steps")
    follow_up.prerequisites.add(course)
    follow_up.save_revision().publish()
    unrelated, _lessons = build_course(modules=1, lessons_per_module=1, title="Unrelated")
    services.enrol(course, user)
    client.force_login(user)

    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]), follow=True)

    assert response.redirect_chain == [(course.url, 302)]
    html = response.content.decode()
    assert "Congratulations! You completed this course." in html
    certificate = CourseCompletion.objects.get(user=user, course=course).certificate
    assert reverse("learning:certificate_pdf", args=[certificate.code]) in html
    assert certificate.get_verification_path() in html
    assert f'href="{follow_up.url}"' in html and "Unrelated" not in html
    assert "Leave this course" not in html
    assert response.context["enrolment"].can_leave is False


def test_marking_again_after_completion_does_not_congratulate_twice(client, user):
    course, (first, second) = build_course(modules=1, lessons_per_module=2)
    services.enrol(course, user)
    services.complete_lesson(first, user)
    services.complete_lesson(second, user)
    client.force_login(user)
    response = client.post(reverse("courses:complete_lesson", args=[first.pk]), follow=True)
    assert "Congratulations! You completed this course." not in response.content.decode()


def test_an_enrolled_learner_not_done_may_still_leave_and_sees_no_next_course(client, user):
    course, (lesson, _other) = build_course(modules=1, lessons_per_module=2)
    follow_up, _lessons = build_course(modules=1, lessons_per_module=1, title="Next steps")
    follow_up.prerequisites.add(course)
    follow_up.save_revision().publish()
    services.enrol(course, user)
    services.complete_lesson(lesson, user)
    client.force_login(user)
    html = client.get(course.url).content.decode()
    assert "Leave this course" in html and "Where to go next" not in html
    assert Enrolment.objects.get(user=user).status == Enrolment.Status.ACTIVE
