"""A course editor opens Reports › Courses in a real browser, narrows it to their course
and a month, and downloads the learners behind the figures as XLSX."""

from datetime import UTC, datetime

import pytest

from courses.factories import EnrolmentFactory, build_course, grant_page_permissions
from courses.models import CourseCompletion
from learning.factories import UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
pytest_plugins = ["tests.fixtures_courses"]


def test_course_editor_filters_the_course_report_and_downloads_xlsx(
    page_as, live_server, xlsx_download_rows
):
    mine, _lessons = build_course(title="Synergies between the Rio conventions")
    other, _lessons = build_course(title="Knowledge management basics")
    grant_page_permissions(mine, GROUP_COURSE_EDITORS)
    grant_page_permissions(other, GROUP_COURSE_EDITORS)
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS], profile__time_zone="UTC")
    march = datetime(2027, 3, 10, 12, tzinfo=UTC)
    for index, country in enumerate(["KE", "KE", "PE"]):
        learner = UserFactory(profile__country=country, profile__full_name=f"March learner {index}")
        EnrolmentFactory(course=mine, user=learner, enrolled_at=march)
    finisher = UserFactory(profile__country="PE", profile__full_name="March learner 2 again")
    EnrolmentFactory(course=mine, user=finisher, enrolled_at=march)
    CourseCompletion.objects.create(
        course=mine, user=finisher, started_at=march, completed_at=datetime(2027, 3, 20, tzinfo=UTC)
    )
    EnrolmentFactory(
        course=mine,
        user=UserFactory(profile__full_name="May learner"),
        enrolled_at=datetime(2027, 5, 2, tzinfo=UTC),
    )
    EnrolmentFactory(
        course=other, user=UserFactory(profile__full_name="Other course learner"), enrolled_at=march
    )

    page = page_as(editor, accept_downloads=True)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Courses", exact=True).click()
    page.wait_for_url("**/admin/reports/courses/")
    courses = page.inner_text("#table-courses")
    assert "Synergies" in courses and "Knowledge management basics" in courses

    page.select_option("#id_course", label="Synergies between the Rio conventions")
    page.fill("#id_date_from", "2027-03-01")
    page.fill("#id_date_to", "2027-03-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**date_to=2027-03-31**")
    headline = page.inner_text("#course-headline")
    assert "Enrolments\n4" in headline and "Completion rate (%)\n25.0" in headline
    assert "Knowledge management basics" not in page.inner_text("#table-courses")
    assert page.locator("#chart-funnel svg").is_visible()

    rows = xlsx_download_rows(page.get_by_role("link", name="XLSX").first)
    assert rows[0][:3] == ("Course", "Name", "Email")
    assert sorted(row[1] for row in rows[1:]) == [
        "March learner 0",
        "March learner 1",
        "March learner 2",
        "March learner 2 again",
    ]
    assert {row[0] for row in rows[1:]} == {"Synergies between the Rio conventions"}
    completed = next(row for row in rows if row[1] == "March learner 2 again")
    assert completed[6] == datetime(2027, 3, 20, 0, 0)


def test_course_editor_clicks_a_completion_number_and_downloads_those_learners(
    page_as, live_server, xlsx_download_rows
):
    course, lessons = build_course(title="Synergies between the Rio conventions")
    grant_page_permissions(course, GROUP_COURSE_EDITORS)
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS], profile__time_zone="UTC")
    march = datetime(2027, 3, 10, 12, tzinfo=UTC)
    for name, country, finished in (
        ("Wanjiru Kamau", "KE", datetime(2027, 3, 18, 9, tzinfo=UTC)),
        ("Rosa Quispe", "PE", datetime(2027, 3, 25, 16, tzinfo=UTC)),
        ("Still learning", "SN", None),
    ):
        learner = UserFactory(profile__country=country, profile__full_name=name)
        EnrolmentFactory(course=course, user=learner, enrolled_at=march)
        if finished:
            CourseCompletion.objects.create(
                course=course, user=learner, started_at=march, completed_at=finished
            )

    page = page_as(editor, accept_downloads=True)
    page.set_default_timeout(60_000)  # a shared, busy machine
    page.goto(live_server.url + "/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Courses", exact=True).click()
    page.wait_for_url("**/admin/reports/courses/")
    page.fill("#id_date_from", "2027-03-01")
    page.fill("#id_date_to", "2027-03-31")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**date_to=2027-03-31**")
    completions = (
        page.locator("#course-headline > div")
        .filter(has=page.locator("dt", has_text="Completions"))
        .get_by_role("link")
    )
    assert completions.inner_text() == "2"
    completions.click()
    page.wait_for_url("**/admin/reports/courses/learners/**figure=completions**")
    assert page.get_by_role("heading", level=1).inner_text() == "Completed the course in the period"
    assert "2 rows" in page.inner_text("#people-total")
    listed = page.inner_text(".report-table")
    assert "Wanjiru Kamau" in listed and "Rosa Quispe" in listed
    assert "Still learning" not in listed

    rows = xlsx_download_rows(page.get_by_role("link", name="XLSX"))
    assert rows[0][:2] == ("Course", "Name")
    rosa = next(row for row in rows if row[1] == "Rosa Quispe")
    assert rosa[3] == "Peru" and rosa[6] == datetime(2027, 3, 25, 16, 0)
    assert len(rows) == 3
