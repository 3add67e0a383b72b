"""Catalogue, course and lesson pages; enrol/unenrol/mark-done endpoints."""

import pytest
from django.urls import reverse

from courses import services
from courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    build_course,
    grant_page_permissions,
)
from courses.models import Enrolment, LessonCompletion, Level, Topic
from learning.factories import RegionFactory, UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS

pytestmark = pytest.mark.django_db


def test_enrol_requires_post_and_login(client, user):
    course, lessons = build_course()
    url = reverse("courses:enrol", args=[course.pk])
    assert client.post(url).status_code == 302  # to the login page
    assert not Enrolment.objects.exists()
    client.force_login(user)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == lessons[0].url
    client.post(url)
    assert Enrolment.objects.get().status == Enrolment.Status.ACTIVE


def test_enrol_checks_csrf(user):
    from django.test import Client

    course, _lessons = build_course()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 403
    assert not Enrolment.objects.exists()


def test_unpublished_course_is_invisible_and_not_enrollable(client, user):
    course = CoursePageFactory(live=False, title="Secret draft")
    client.force_login(user)
    index = course.get_parent()
    assert "Secret draft" not in client.get(index.url).content.decode()
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 404
    assert not Enrolment.objects.exists()


def test_unenrol_keeps_the_row(client, user):
    course, _lessons = build_course()
    services.enrol(course, user)
    client.force_login(user)
    response = client.post(reverse("courses:unenrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.get().status == Enrolment.Status.WITHDRAWN


def test_mark_done_by_a_learner_not_enrolled_is_403_and_stores_nothing(client, user, other_user):
    course, lessons = build_course()
    services.enrol(course, other_user)
    client.force_login(user)
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]))
    assert response.status_code == 403
    assert not LessonCompletion.objects.exists()


def test_mark_done_moves_to_the_next_lesson(client, user):
    course, lessons = build_course(sequential=True)
    services.enrol(course, user)
    client.force_login(user)
    locked = client.post(reverse("courses:complete_lesson", args=[lessons[1].pk]))
    assert locked.status_code == 403
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]))
    assert response.status_code == 302 and response.url == lessons[1].url
    assert list(LessonCompletion.objects.values_list("lesson_id", flat=True)) == [lessons[0].pk]


def test_lesson_page_gate(client, user):
    course, lessons = build_course(sequential=True)
    response = client.get(lessons[0].url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(user)
    response = client.get(lessons[0].url)
    assert response.status_code == 302 and response.url == course.url  # not enrolled
    services.enrol(course, user)
    assert client.get(lessons[1].url).url == course.url  # locked
    page = client.get(lessons[0].url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mark as done" in html
    assert f'href="{lessons[1].url}"' not in html  # the locked next lesson is not a link


def test_course_page_shows_syllabus_marks_and_continue(client, user):
    course, lessons = build_course(sequential=True)
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    client.force_login(user)
    html = client.get(course.url).content.decode()
    assert "<bdi>1</bdi> of <bdi>4</bdi> required lessons done" in html
    assert "Continue where you left off" in html
    assert f'href="{lessons[1].url}"' in html
    assert html.count("is-done") == 1 and html.count("is-locked") == 2


def test_course_editor_previews_lessons_as_a_learner(client):
    course, lessons = build_course(sequential=True)
    grant_page_permissions(course.get_parent(), GROUP_COURSE_EDITORS)
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS])
    client.force_login(editor)
    response = client.get(lessons[3].url)
    assert response.status_code == 200
    assert "Editor view" in response.content.decode()
    assert not LessonCompletion.objects.exists() and not Enrolment.objects.exists()


def test_catalogue_filters_and_search(client):
    index = CourseIndexPageFactory()
    africa = RegionFactory(name="Africa", slug="africa")
    asia = RegionFactory(name="Asia", slug="asia")
    km = CoursePageFactory(
        parent=index, title="Knowledge management basics", topic=Topic.KNOWLEDGE_MANAGEMENT
    )
    km.regions.add(africa)
    km.save_revision().publish()
    CoursePageFactory(
        parent=index,
        title="Rio synergies",
        topic=Topic.RIO_SYNERGIES,
        level=Level.ADVANCED,
        language="fr",
        effort_hours=8,
        overview="<p>Joint work of the three conventions on drylands.</p>",
    )
    everywhere = CoursePageFactory(parent=index, title="Open data", effort_hours=1)

    def titles(**params):
        html = client.get(index.url, params).content.decode()
        return {
            t for t in ("Knowledge management basics", "Rio synergies", "Open data") if t in html
        }

    assert titles() == {"Knowledge management basics", "Rio synergies", "Open data"}
    assert titles(topic="rio-synergies") == {"Rio synergies"}
    assert titles(level="advanced", language="fr") == {"Rio synergies"}
    assert titles(duration="long") == {"Rio synergies"}
    assert titles(duration="short") == {"Knowledge management basics", "Open data"}
    assert titles(region="asia") == {"Rio synergies", "Open data"}
    assert titles(region="africa") == {"Knowledge management basics", "Rio synergies", "Open data"}
    assert titles(q="drylands") == {"Rio synergies"}
    response = client.get(index.url, {"topic": "astrology"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert everywhere.pk and asia.pk


def test_catalogue_cards_show_progress(client, user):
    course, lessons = build_course(modules=1, lessons_per_module=4)
    services.enrol(course, user)
    services.complete_lesson(lessons[0], user)
    client.force_login(user)
    html = client.get(course.get_parent().url).content.decode()
    assert "<bdi>1</bdi> of <bdi>4</bdi> lessons done" in html
    assert 'value="25"' in html


def _many_courses(count, lessons_per_module=3):
    index = CourseIndexPageFactory()
    return [
        build_course(parent=index, modules=2, lessons_per_module=lessons_per_module)
        for _n in range(count)
    ]


def _queries(client, url, django_assert_max_num_queries, budget):
    client.get(url)  # caches warm, as on a running site
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_catalogue_query_count_does_not_grow_with_courses(
    client, user, django_assert_max_num_queries
):
    courses = _many_courses(2)
    for course, lessons in courses:
        services.enrol(course, user)
        services.complete_lesson(lessons[0], user)
    client.force_login(user)
    url = courses[0][0].get_parent().url
    few = _queries(client, url, django_assert_max_num_queries, 25)
    index = courses[0][0].get_parent()
    for _n in range(8):
        course, _lessons = build_course(parent=index, modules=2, lessons_per_module=3)
        services.enrol(course, user)
    assert _queries(client, url, django_assert_max_num_queries, 25) == few


def test_course_and_lesson_query_counts_do_not_grow_with_lessons(
    client, user, django_assert_max_num_queries
):
    small, small_lessons = build_course(modules=1, lessons_per_module=2)
    large, large_lessons = build_course(modules=4, lessons_per_module=6)
    for course, lessons in ((small, small_lessons), (large, large_lessons)):
        services.enrol(course, user)
        services.complete_lesson(lessons[0], user)
    client.force_login(user)
    assert _queries(client, small.url, django_assert_max_num_queries, 25) == _queries(
        client, large.url, django_assert_max_num_queries, 25
    )
    assert _queries(client, small_lessons[1].url, django_assert_max_num_queries, 30) == _queries(
        client, large_lessons[1].url, django_assert_max_num_queries, 40
    )


def test_course_page_lists_prerequisites_and_hides_enrol_until_done(client, user):
    basics, basic_lessons = build_course(modules=1, lessons_per_module=1, title="KM basics")
    advanced = CoursePageFactory(title="Advanced KM")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    client.force_login(user)
    html = client.get(advanced.url).content.decode()
    assert "Before enrolling, complete:" in html and "KM basics" in html
    assert reverse("courses:enrol", args=[advanced.pk]) not in html
    response = client.post(reverse("courses:enrol", args=[advanced.pk]), follow=True)
    assert "Complete these courses first: KM basics." in response.content.decode()
    assert not Enrolment.objects.filter(course=advanced).exists()

    services.enrol(basics, user)
    services.complete_lesson(basic_lessons[0], user)
    html = client.get(advanced.url).content.decode()
    assert "completed" in html
    assert reverse("courses:enrol", args=[advanced.pk]) in html


def test_wagtail_preview_renders_a_lesson_as_learners_see_it_without_tracking(rf, user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.middleware import SessionMiddleware

    course, lessons = build_course(sequential=True)
    lesson = lessons[-1]  # locked for everybody
    lesson.body = [("callout", {"kind": "tip", "title": "Draft tip", "text": "<p>New.</p>"})]
    request = rf.get(lesson.url)
    request.user = UserFactory(groups=[GROUP_COURSE_EDITORS])
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    response = lesson.make_preview_request(request, lesson.default_preview_mode)
    html = response.render().content.decode()
    assert response.status_code == 200
    assert "Draft tip" in html and "Editor view" in html
    assert "Mark as done" not in html
    assert not Enrolment.objects.exists() and not LessonCompletion.objects.exists()


def test_continue_where_you_left_off_resumes_the_last_lesson_opened(client, user):
    course, lessons = build_course(modules=2, lessons_per_module=2)
    services.enrol(course, user)
    client.force_login(user)
    assert client.get(lessons[2].url).status_code == 200  # opened, not done
    html = client.get(course.url).content.decode()
    assert f'class="button" href="{lessons[2].url}"' in html
    services.complete_lesson(lessons[2], user)
    html = client.get(course.url).content.decode()
    assert f'class="button" href="{lessons[0].url}"' in html  # first lesson not done
