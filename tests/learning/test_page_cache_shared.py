"""What signed-in pages take from the cache (learning.page_cache): the route of a path,
the main menu, the home page's sections and a course's modules and lessons. Each change
they show is seen on the very next request; nothing of one viewer reaches another; a
fragment with a CSRF token is never stored."""

import re

import pytest
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse
from django.utils.html import format_html

from courses.factories import EnrolmentFactory, LessonPageFactory, build_course
from learning.demo import build_home_page
from learning.factories import UserFactory
from learning.page_cache import shared_fragment
from webinars.factories import WebinarPageFactory, WebinarSeriesPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _menu(html):
    return re.search(r'<ul class="nav">(.*?)</ul>', html, re.S).group(1)


def test_the_menu_is_shared_and_refreshed_on_the_next_request(client):
    home = build_home_page()
    client.force_login(UserFactory())
    series = WebinarSeriesPageFactory(parent=home, title="In the menu", show_in_menus=True)
    assert "In the menu" in _menu(_text(client, home.url))

    series.title = "Renamed in the menu"
    series.save_revision().publish()
    assert "Renamed in the menu" in _menu(_text(client, home.url))

    WebinarSeriesPageFactory(parent=home, title="Another entry", show_in_menus=True)
    assert "Another entry" in _menu(_text(client, home.url))
    series.unpublish()
    menu = _menu(_text(client, home.url))
    assert "Renamed in the menu" not in menu and "Another entry" in menu


def test_the_home_sections_are_refreshed_on_the_next_request(client):
    home = build_home_page()
    client.force_login(UserFactory())
    series = WebinarSeriesPageFactory(parent=home)
    assert "First upcoming session" not in _text(client, home.url)
    WebinarPageFactory(parent=series, title="First upcoming session")
    assert "First upcoming session" in _text(client, home.url)
    build_course(title="A course just published")
    assert "A course just published" in _text(client, home.url)


def test_another_person_never_sees_the_first_persons_header(client):
    home = build_home_page()
    WebinarSeriesPageFactory(parent=home, title="In the menu", show_in_menus=True)
    admin = UserFactory(is_superuser=True, first_name="Grace", last_name="Admin")
    client.force_login(admin)
    first = _text(client, home.url)
    assert 'href="/admin/"' in first and "In the menu" in first

    learner_client = Client()
    learner_client.force_login(UserFactory(first_name="Ada"))
    second = _text(learner_client, home.url)
    assert "In the menu" in second  # the shared menu
    assert 'href="/admin/"' not in second
    assert "Grace" not in second and admin.email not in second


def test_a_signed_in_page_holds_its_own_csrf_token(client):
    """The header's log-out form is never taken from the cache: the token in the second
    person's page is accepted for their session."""
    home = build_home_page()
    client.force_login(UserFactory())
    _text(client, home.url)
    other = Client(enforce_csrf_checks=True)
    other.force_login(UserFactory())
    html = _text(other, home.url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = other.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_fragment_with_a_csrf_token_is_never_stored(rf):
    request = rf.get("/")
    renders = []

    def with_token():
        renders.append("form")
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )

    def without_token():
        renders.append("text")
        return format_html("<p>{}</p>", "Shared")

    shared_fragment(request, "form", with_token)
    shared_fragment(request, "form", with_token)
    assert renders.count("form") == 2
    shared_fragment(request, "text", without_token)
    assert str(shared_fragment(request, "text", without_token)) == "<p>Shared</p>"
    assert renders.count("text") == 1


def test_fragments_follow_the_language(client):
    home = build_home_page()
    client.force_login(UserFactory())
    english = _text(client, home.url)
    assert re.search(r'<option value="en"[^>]* selected>', english)
    client.cookies["django_language"] = "fr"
    french = _text(client, home.url)
    assert re.search(r'<option value="fr"[^>]* selected>', french)
    assert not re.search(r'<option value="en"[^>]* selected>', french)
    assert 'lang="ar" dir="rtl"' in french
    # The home page's sections, in each language.
    assert "Self-paced courses</h2>" in english and "Cours en autonomie</h2>" not in english
    assert "Cours en autonomie</h2>" in french and "Self-paced courses</h2>" not in french


def test_a_route_follows_unpublish_and_slug_changes_on_the_next_request(client):
    client.force_login(UserFactory())
    course, _lessons = build_course()
    old_url = course.url
    _text(client, old_url)
    _text(client, old_url)  # from the cached route
    course.slug = "a-new-slug"
    course.save_revision().publish()
    course.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert "a-new-slug" in course.url and _text(client, course.url)
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_new_lesson_is_in_the_syllabus_on_the_next_request(client):
    learner = UserFactory()
    course, lessons = build_course(modules=1, lessons_per_module=2)
    EnrolmentFactory(course=course, user=learner)
    client.force_login(learner)
    assert "A lesson added later" not in _text(client, course.url)
    LessonPageFactory(parent=lessons[0].get_parent(), title="A lesson added later")
    assert "A lesson added later" in _text(client, course.url)
    assert "A lesson added later" in _text(client, lessons[0].url)


def test_learners_see_their_own_marks_in_a_shared_syllabus(client):
    from courses import services as course_services

    course, lessons = build_course(modules=1, lessons_per_module=2)
    ahead, behind = UserFactory(), UserFactory()
    for learner in (ahead, behind):
        EnrolmentFactory(course=course, user=learner)
    course_services.complete_lesson(lessons[0], ahead)
    client.force_login(ahead)
    assert "is-done" in _text(client, course.url)
    assert "is-done" in _text(client, lessons[1].url)

    other = Client()
    other.force_login(behind)
    assert "is-done" not in _text(other, course.url)
    assert "is-done" not in _text(other, lessons[1].url)
    visitor = Client()
    assert "is-done" not in _text(visitor, course.url)

    course_services.complete_lesson(lessons[0], behind)
    assert "is-done" in _text(other, course.url)
    assert 'aria-current="page"' in _text(other, lessons[1].url)
