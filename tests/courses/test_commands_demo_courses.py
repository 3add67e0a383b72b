"""The demo courses built by load_demo_data."""

import re

import pytest
from django.urls import reverse

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from learning.models import H5PContent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_content, db):
    """The demo content, loaded once for this module (tests/conftest.py)."""


def test_two_demo_courses_with_modules_lessons_and_an_h5p_activity(demo):
    index = CourseIndexPage.objects.get(locale__language_code="en")  # + fr, es
    assert index.show_in_menus and index.live
    courses = CoursePage.objects.child_of(index).live()
    assert {course.title for course in courses} == {
        "Knowledge management for biodiversity",
        "Synergies between the Rio conventions",
    }
    for course in courses:
        assert ModulePage.objects.child_of(course).count() >= 2
        lessons = LessonPage.objects.descendant_of(course).live()
        assert lessons.count() >= 5
        h5p = [block for lesson in lessons for block in lesson.body if block.block_type == "h5p"]
        assert h5p and all(isinstance(block.value["content"], H5PContent) for block in h5p)
    synergies = courses.get(slug="synergies-between-the-rio-conventions")
    assert list(synergies.prerequisites.values_list("slug", flat=True)) == [
        "knowledge-management-for-biodiversity"
    ]


def test_demo_learner_continues_the_km_course(demo, client):
    client.login(username="learner@example.org", password="demo-pass-2026")
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert "Knowledge management for biodiversity" in html
    html = re.sub(r"</?bdi[^>]*>", "", html)  # values are isolated in <bdi>
    assert "2 of 6 lessons done" in html
    lesson = LessonPage.objects.get(title="Check your understanding")
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Check your understanding" in response.content.decode()
    catalogue = client.get(
        CourseIndexPage.objects.get(locale__language_code="en").url
    ).content.decode()
    assert "Synergies between the Rio conventions" in catalogue


def test_demo_courses_state_the_effort_their_lessons_add_up_to(demo, client):
    from courses import syllabus

    for course in CoursePage.objects.live():
        assert syllabus.course_state(course, None).effort == (course.effort_hours, 0)
        hours = course.effort_hours
        assert f"Estimated effort: {hours} hours" in client.get(course.url).content.decode()


def test_demo_km_course_and_km4b_series_in_french_and_spanish(demo, client):
    from learning.models import Profile
    from webinars.models import WebinarPage, WebinarSeriesPage

    course = CoursePage.objects.get(
        slug="knowledge-management-for-biodiversity", locale__language_code="en"
    )
    lessons = LessonPage.objects.descendant_of(course).live()
    for language, title in (
        ("fr", "Gestion des connaissances pour la biodiversité"),
        ("es", "Gestión del conocimiento para la biodiversidad"),
    ):
        version = CoursePage.objects.get(
            translation_key=course.translation_key, locale__language_code=language
        )
        assert version.live and version.title == title and version.url == course.url
        versions = LessonPage.objects.descendant_of(version).live()
        assert versions.count() == lessons.count()
        assert {lesson.title for lesson in versions}.isdisjoint(
            {lesson.title for lesson in lessons}
        )
        series = WebinarSeriesPage.objects.get(slug="km4b", locale__language_code=language)
        assert series.live and "KM4B" in series.title
        assert WebinarPage.objects.child_of(series).live().count() == 6
    client.cookies["django_language"] = "fr"
    html = client.get(course.url).content.decode()
    assert "Gestion des connaissances pour la biodiversité" in html
    assert "Données, informations et connaissances" in html
    arabic = Profile.objects.get(user__email="learner-ar@example.org")
    chinese = Profile.objects.get(user__email="learner-zh@example.org")
    assert (arabic.preferred_language, arabic.country.code, arabic.time_zone) == (
        "ar",
        "EG",
        "Africa/Cairo",
    )
    assert (chinese.preferred_language, chinese.country.code, chinese.time_zone) == (
        "zh-hans",
        "CN",
        "Asia/Shanghai",
    )


def test_the_course_reports_look_like_a_season(demo):
    from courses.reports import queries
    from learning.reports.geography import by_country_and_region

    course = CoursePage.objects.get(title="Knowledge management for biodiversity")
    scope = queries.Scope(CoursePage.objects.filter(pk=course.pk))
    headline, _rows = queries.figures(scope)
    assert headline.enrolments >= 15 and 0 < headline.completions < headline.enrolments
    assert headline.certificates_revoked == 1
    months = {
        moment.strftime("%Y-%m")
        for moment in queries.enrolments(scope).values_list("enrolled_at", flat=True)
    }
    assert len(months) >= 4  # enrolments spread over months
    _countries, regions = by_country_and_region(queries.by_country(scope))
    assert len(regions) >= 4
    _started, steps = queries.funnel(course, scope)
    counts = [count for _state, count, _drop in steps]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    shares = {row["share"] for row in queries.questions(queries.Scope(CoursePage.objects.all()))}
    assert len(shares) >= 2  # some questions are harder than others
