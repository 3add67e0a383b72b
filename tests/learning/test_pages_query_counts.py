"""Signed-in pages are never served from the page cache, so their query counts must not
grow with the data: the same number of queries for a course of 2 or 12 lessons, a webinar
with 2 or 40 registrations, a series of 2 or 8 sessions, and "My learning" with 1 or 6
enrolments and registrations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services as course_services
from courses.factories import EnrolmentFactory, build_course
from learning.factories import UserFactory
from webinars import services as webinar_services
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm: per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _course_queries(client, lessons_per_module):
    learner = UserFactory()
    course, lessons = build_course(modules=2, lessons_per_module=lessons_per_module)
    EnrolmentFactory(course=course, user=learner)
    for lesson in lessons[: len(lessons) // 2]:
        course_services.complete_lesson(lesson, learner)
    client.force_login(learner)
    return _queries(client, course.url), _queries(client, lessons[-1].url)


def test_course_and_lesson_pages_do_not_grow_with_lessons(client):
    small = _course_queries(client, 1)
    large = _course_queries(client, 6)
    assert large == small, f"course, lesson queries: {small} -> {large}"


def _webinar_queries(client, registrations, sessions):
    series = WebinarSeriesPageFactory()
    webinars = [WebinarPageFactory(parent=series) for _ in range(sessions)]
    learner = UserFactory()
    webinar_services.register(webinars[0], learner)
    for _ in range(registrations):
        webinar_services.register(webinars[0], UserFactory())
    client.force_login(learner)
    return _queries(client, webinars[0].url), _queries(client, series.url)


def test_webinar_and_series_pages_do_not_grow_with_registrations_or_sessions(client):
    small = _webinar_queries(client, registrations=2, sessions=2)
    large = _webinar_queries(client, registrations=40, sessions=8)
    assert large == small, f"webinar, series queries: {small} -> {large}"


def _dashboard_queries(client, count):
    learner = UserFactory()
    for _ in range(count):
        course, lessons = build_course(modules=1, lessons_per_module=2)
        EnrolmentFactory(course=course, user=learner)
        course_services.complete_lesson(lessons[0], learner)
        webinar_services.register(WebinarPageFactory(), learner)
    client.force_login(learner)
    return _queries(client, "/dashboard/")


def test_my_learning_does_not_grow_with_enrolments_or_registrations(client):
    small = _dashboard_queries(client, 1)
    large = _dashboard_queries(client, 6)
    assert large == small, f"My learning queries: {small} -> {large}"
