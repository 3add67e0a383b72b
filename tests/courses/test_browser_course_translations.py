"""A course in two languages in a real browser: a learner enrols in English, switches the
interface to French with the header's switcher (no JavaScript needed), is on the French
version of the same course and still enrolled, completes a French lesson, and finds the
one course once in My learning."""

import pytest
from django.utils import translation

from courses import services
from courses.factories import build_course
from courses.models import Enrolment, LessonCompletion
from learning.factories import translate_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _course_in_french(slug=None):
    course, lessons = build_course(modules=1, lessons_per_module=2, title="Knowledge basics")
    fields = {"title": "Les bases de la gestion des connaissances"}
    if slug:
        fields["slug"] = slug
    french = translate_page(course, "fr", **fields)
    translate_page(lessons[0].get_parent().specific, "fr", title="Premiers pas")
    french_lessons = [
        translate_page(lesson, "fr", title=f"Leçon {n} en français")
        for n, lesson in enumerate(lessons, 1)
    ]
    return course, lessons, french, french_lessons


def _switch_to(page, language):
    page.locator("#language-select").select_option(language)
    page.locator(".language-form button[type=submit]").click()


def test_enrol_in_english_switch_to_french_complete_a_lesson(page_as, live_server, user):
    course, lessons, french, french_lessons = _course_in_french()
    page = page_as(user, java_script_enabled=False)

    page.goto(live_server.url + course.url)
    assert page.locator("h1").first.inner_text() == "Knowledge basics"
    page.get_by_role("button", name="Enrol").click()
    page.goto(live_server.url + course.url)

    _switch_to(page, "fr")

    page.wait_for_url(live_server.url + course.url)  # the same URL, now in French
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").first.inner_text() == "Les bases de la gestion des connaissances"
    assert page.get_by_role("button", name="Quitter ce cours").is_visible()  # still enrolled
    # Nothing is shown in another language: the title and summary carry no lang of their own.
    assert page.locator("h1 [lang], .lead[lang]").count() == 0

    page.get_by_role("link", name="Leçon 1 en français").first.click()
    page.wait_for_url(live_server.url + french_lessons[0].url)
    page.get_by_role("button", name="Marquer comme terminée").click()
    page.get_by_text("Leçon marquée comme terminée.").wait_for()

    assert list(LessonCompletion.objects.filter(user=user).values_list("lesson", flat=True)) == [
        lessons[0].pk
    ]
    page.goto(live_server.url + course.url)
    assert page.get_by_text("1 leçons obligatoires terminées sur 2").is_visible()

    page.goto(live_server.url + "/dashboard/")
    assert page.locator("progress").count() == 1
    assert page.get_by_text("Les bases de la gestion des connaissances").count() == 1
    assert Enrolment.objects.filter(user=user).count() == 1


def test_switcher_goes_to_the_translated_page_url(page_as, live_server, user):
    course, _lessons, french, _french_lessons = _course_in_french(slug="bases-connaissances")
    services.enrol(course, user)
    with translation.override("fr"):
        french_url = french.url
    assert french_url != course.url
    page = page_as(user, java_script_enabled=False)

    page.goto(live_server.url + course.url)
    _switch_to(page, "fr")

    page.wait_for_url(live_server.url + french_url)
    assert page.locator("h1").first.inner_text() == "Les bases de la gestion des connaissances"

    _switch_to(page, "en")
    page.wait_for_url(live_server.url + course.url)
    assert page.locator("h1").first.inner_text() == "Knowledge basics"
