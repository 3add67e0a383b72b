"""A course in several languages is one course: its language versions share enrolments,
progress, completion and certificates, stored against the canonical (English) version."""

import pytest

from courses import services, syllabus
from courses.factories import build_course
from courses.models import CourseCompletion, Enrolment, LessonCompletion
from learning.factories import translate_page
from learning.translations import canonical

pytestmark = pytest.mark.django_db


def _translate_course(course, lessons, language="fr"):
    """The course, its modules and lessons in ``language`` (parents first)."""
    version = translate_page(course, language, title=f"{course.title} ({language})")
    modules = {}
    for lesson in lessons:
        module = lesson.get_parent().specific
        if module.pk not in modules:
            modules[module.pk] = translate_page(module, language)
    versions = [
        translate_page(lesson, language, title=f"{lesson.title} ({language})") for lesson in lessons
    ]
    return version, versions


def test_canonical_is_the_default_language_version():
    course, lessons = build_course(modules=1, lessons_per_module=2)
    french, french_lessons = _translate_course(course, lessons)
    assert french.pk != course.pk and french.locale.language_code == "fr"
    assert canonical(french) == course
    assert canonical(course) == course
    assert canonical(french_lessons[1]) == lessons[1]


def test_enrolled_through_one_version_is_enrolled_in_all(user):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    french, french_lessons = _translate_course(course, lessons)

    enrolment = services.enrol(french, user)

    assert enrolment.course_id == course.pk
    assert services.enrol(course, user).pk == enrolment.pk
    assert Enrolment.objects.filter(user=user).count() == 1
    assert syllabus.course_state(course, user).enrolled
    assert syllabus.course_state(french, user).enrolled


def test_a_lesson_done_in_one_language_counts_once_in_every_language(user):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    french, french_lessons = _translate_course(course, lessons)
    services.enrol(course, user)

    services.complete_lesson(french_lessons[0], user)
    services.complete_lesson(lessons[0], user)  # the same lesson, in English: no-op

    completion = LessonCompletion.objects.get(user=user)
    assert (completion.lesson_id, completion.course_id) == (lessons[0].pk, course.pk)
    english, in_french = syllabus.course_state(course, user), syllabus.course_state(french, user)
    assert (english.progress.done, english.progress.total) == (1, 2)
    assert (in_french.progress.done, in_french.progress.total) == (1, 2)
    # The French page lists the French lessons, the first one done.
    assert [state.lesson.pk for state in in_french.lessons] == [p.pk for p in french_lessons]
    assert in_french.by_id[french_lessons[0].pk].done
    assert in_french.next_lesson.lesson.pk == french_lessons[1].pk


def test_course_completed_once_across_languages_with_one_certificate(user):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    french, french_lessons = _translate_course(course, lessons)
    services.enrol(french, user)

    services.complete_lesson(lessons[0], user)
    services.complete_lesson(french_lessons[1], user)

    completion = CourseCompletion.objects.get(user=user)
    assert completion.course_id == course.pk
    assert completion.certificate is not None
    assert services.has_completed(french, user) and services.has_completed(course, user)
    assert syllabus.course_state(french, user).completion == completion


def test_sequential_course_unlocks_the_translated_next_lesson(user):
    course, lessons = build_course(modules=1, lessons_per_module=2, sequential=True)
    french, french_lessons = _translate_course(course, lessons)
    services.enrol(course, user)
    assert syllabus.course_state(french, user).by_id[french_lessons[1].pk].locked

    services.complete_lesson(lessons[0], user)

    assert not syllabus.course_state(french, user).by_id[french_lessons[1].pk].locked


def test_untranslated_lesson_is_shown_in_the_source_language(user):
    course, lessons = build_course(modules=1, lessons_per_module=2)
    french = translate_page(course, "fr")
    translate_page(lessons[0].get_parent().specific, "fr")
    french_first = translate_page(lessons[0], "fr", title="Leçon 1")

    state = syllabus.course_state(french, user)

    assert [s.lesson.pk for s in state.lessons] == [french_first.pk, lessons[1].pk]
