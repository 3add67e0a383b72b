"""Pages in several languages: the same URL serves the visitor's language version; an
untranslated page is served in its source language, marked with its ``lang``; the
language switcher goes to the translated page's URL."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.factories import build_course
from learning.factories import translate_page

pytestmark = pytest.mark.django_db


def _french_course(slug=None):
    course, lessons = build_course(modules=1, lessons_per_module=2, title="Knowledge basics")
    fields = {"title": "Les bases de la gestion des connaissances"}
    if slug:
        fields["slug"] = slug
    french = translate_page(course, "fr", **fields)
    translate_page(lessons[0].get_parent().specific, "fr")
    french_lessons = [
        translate_page(lesson, "fr", title=f"Leçon {n}") for n, lesson in enumerate(lessons, 1)
    ]
    return course, lessons, french, french_lessons


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_same_url_serves_the_version_in_the_visitors_language(client):
    course, _lessons, french, _french_lessons = _french_course()
    with translation.override("fr"):
        assert french.url == course.url  # default-language URLs do not change

    english = _in(client, "en").get(course.url).content.decode()
    assert "Knowledge basics" in english and "Les bases" not in english

    body = _in(client, "fr").get(course.url).content.decode()
    assert "Les bases de la gestion des connaissances" in body
    assert "Leçon 1" in body
    assert '<bdi lang="en"' not in body  # the French content is the interface's language


def test_untranslated_page_is_shown_in_its_language_and_marked(client):
    course, _lessons = build_course(modules=1, lessons_per_module=1, title="Knowledge basics")
    translate_page(course.get_parent().specific, "ar")  # the catalogue is translated

    response = _in(client, "ar").get(course.url)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl"' in body  # the interface
    # Only the content is marked: its title and summary, not the interface around them.
    assert '<h1><bdi lang="en" dir="ltr">Knowledge basics</bdi></h1>' in body
    assert '<p class="lead" lang="en" dir="ltr">' in body
    assert "<main" in body and '<main id="main" class="container" tabindex="-1">' in body


def test_switcher_goes_to_the_translated_page(client):
    course, _lessons, french, _french_lessons = _french_course(slug="bases-connaissances")
    with translation.override("fr"):
        french_url = french.url
    assert french_url != course.url

    response = client.post(reverse("set_language"), {"language": "fr", "next": course.url})
    assert response.status_code == 302 and response["Location"] == french_url
    assert "Les bases" in _in(client, "fr").get(french_url).content.decode()

    back = client.post(reverse("set_language"), {"language": "en", "next": french_url})
    assert back["Location"] == course.url


def test_switcher_keeps_the_url_without_translation_or_page(client):
    course, _lessons = build_course(modules=1, lessons_per_module=1)
    response = client.post(reverse("set_language"), {"language": "es", "next": course.url})
    assert response["Location"] == course.url
    response = client.post(reverse("set_language"), {"language": "es", "next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"


def test_enrolled_in_english_sees_enrolled_and_progress_in_french(client, user):
    course, lessons, french, french_lessons = _french_course()
    services.enrol(course, user)
    client.force_login(user)
    _in(client, "fr")

    page = client.get(course.url).content.decode()
    assert "Quitter ce cours" in page  # enrolled
    assert "<bdi>0</bdi> leçons obligatoires terminées sur <bdi>2</bdi>" in page

    response = client.post(reverse("courses:complete_lesson", args=[french_lessons[0].pk]))
    assert response.status_code == 302

    page = client.get(course.url).content.decode()
    assert "<bdi>1</bdi> leçons obligatoires terminées sur <bdi>2</bdi>" in page
    english = _in(client, "en").get(course.url).content.decode()
    assert "<bdi>1</bdi> of <bdi>2</bdi> required lessons done" in english
    dashboard = client.get(reverse("learning:dashboard")).content.decode()
    assert dashboard.count("<progress") == 1


def test_catalogue_and_home_list_each_course_once_in_the_visitors_language(client):
    course, _lessons, french, _french_lessons = _french_course()
    build_course(parent=course.get_parent(), title="Untranslated course")
    _in(client, "fr")

    catalogue = client.get(course.get_parent().url).content.decode()
    home = client.get("/").content.decode()

    for body in (catalogue, home):
        assert "Les bases de la gestion des connaissances" in body
        assert "Knowledge basics" not in body
        assert "Untranslated course" in body


def test_french_catalogue_query_count_does_not_grow_with_translated_courses(
    client, user, django_assert_max_num_queries
):
    course, _lessons, _french, _french_lessons = _french_course()
    index = course.get_parent()
    services.enrol(course, user)
    client.force_login(user)
    _in(client, "fr")

    def count():
        client.get(index.url)  # caches warm, as on a running site
        with django_assert_max_num_queries(30) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for _n in range(3):
        more, lessons = build_course(parent=index, modules=1, lessons_per_module=2)
        translate_page(more, "fr")
        translate_page(lessons[0].get_parent().specific, "fr")
        for lesson in lessons:
            translate_page(lesson, "fr")
        services.enrol(more, user)
    assert count() == few
