"""'My learning': panels from the installed apps, certificates, and a fixed query count."""

import pytest
from django.urls import reverse

from courses import services as course_services
from courses.factories import CourseIndexPageFactory, EnrolmentFactory, build_course
from learning.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_dashboard_needs_login(client):
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_dashboard_lists_courses_next_lesson_completions_and_certificates(client, user):
    ongoing, ongoing_lessons = build_course(title="Ongoing course")
    done, done_lessons = build_course(modules=1, lessons_per_module=1, title="Finished course")
    course_services.enrol(ongoing, user)
    course_services.complete_lesson(ongoing_lessons[0], user)
    course_services.enrol(done, user)
    course_services.complete_lesson(done_lessons[0], user)
    revoked = CertificateFactory(user=user, title="Old webinar")
    revoked.revoked_at = revoked.achieved_at
    revoked.save()

    client.force_login(user)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert "Ongoing course" in html and "<bdi>1</bdi> of <bdi>4</bdi> lessons done" in html
    assert f'href="{ongoing_lessons[1].url}"' in html  # next lesson
    assert "Completed courses" in html and "Finished course" in html
    certificate = user.certificates.get(title="Finished course")
    assert reverse("learning:certificate_pdf", args=[certificate.code]) in html
    assert "Old webinar" in html and "Revoked" in html
    assert reverse("learning:certificate_pdf", args=[revoked.code]) not in html


def test_dashboard_does_not_show_other_learners_courses(client, user, other_user):
    course, _lessons = build_course(title="Someone else's course")
    course_services.enrol(course, other_user)
    client.force_login(user)
    assert "Someone else" not in client.get(reverse("learning:dashboard")).content.decode()


def _count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:
        response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_query_count_is_independent_of_enrolments_and_lessons(
    client, user, django_assert_max_num_queries
):
    index = CourseIndexPageFactory()
    course, lessons = build_course(parent=index)
    course_services.enrol(course, user)
    course_services.complete_lesson(lessons[0], user)
    CertificateFactory(user=user, source=course)  # one of each, then twelve
    client.force_login(user)
    client.get(reverse("learning:dashboard"))  # warm the site-root cache
    one = _count(client, django_assert_max_num_queries)

    for _n in range(11):
        course, lessons = build_course(parent=index, modules=2, lessons_per_module=2)
        EnrolmentFactory(course=course, user=user)
        course_services.complete_lesson(lessons[0], user)
        CertificateFactory(user=user, source=course)
    html_twelve = client.get(reverse("learning:dashboard")).content.decode()
    assert html_twelve.count("<progress") == 12
    assert _count(client, django_assert_max_num_queries) == one
