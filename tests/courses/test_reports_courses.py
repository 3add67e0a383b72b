"""Reports › Courses: figures against hand-computed expectations (withdrawals, a person in
two courses and two roles, an erased account, the edges of the date range in the viewer's
zone), query counts, scope and exports."""

import csv
import io
import uuid
from datetime import UTC, datetime

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.factories import EnrolmentFactory, build_course, grant_page_permissions
from courses.models import CourseCompletion, Enrolment, LessonCompletion
from courses.reports import queries
from learning.factories import CertificateFactory, UserFactory
from learning.h5p.xapi import VERB_ANSWERED
from learning.migration_utils import GROUP_COURSE_EDITORS, GROUP_ORGANIZERS
from learning.models import Certificate, H5PContent, XAPIStatement
from learning.privacy.services import erase_account
from learning.reports.tables import Link, plain
from tests.html import visible_text

pytestmark = pytest.mark.django_db
INDEX = reverse("course_reports:index")
MARCH = {"date_from": "2027-03-01", "date_to": "2027-03-31"}


def at(day, hour=10, month=3):
    return datetime(2027, month, day, hour, tzinfo=UTC)


def enrol(course, user, when, status=Enrolment.Status.ACTIVE):
    enrolment = EnrolmentFactory(course=course, user=user, status=status, enrolled_at=when)
    Enrolment.objects.filter(pk=enrolment.pk).update(requested_at=when)
    return enrolment


def done(course, user, lessons, when):
    for lesson in lessons:
        LessonCompletion.objects.create(course=course, lesson=lesson, user=user, completed_at=when)


def complete(course, user, started, finished, *, certificate=True):
    issued = None
    if certificate:
        issued = CertificateFactory(user=user, source=course, achieved_at=finished)
        Certificate.objects.filter(pk=issued.pk).update(issued_at=finished)
    CourseCompletion.objects.create(
        course=course, user=user, started_at=started, completed_at=finished, certificate=issued
    )
    return issued


def answer(user, content, page, question, correct, when):
    statement = XAPIStatement.objects.create(
        statement_id=uuid.uuid4(),
        user=user,
        content=content,
        page=page,
        verb=VERB_ANSWERED,
        object_id=f"https://example.org/h5p/{content.pk}?subContentId={question}",
        sub_content_id=question,
        question=f"Question {question}",
        is_child=True,
        success=correct,
        raw={},
        body_sha256="0" * 64,
    )
    XAPIStatement.objects.filter(pk=statement.pk).update(stored_at=when)


@pytest.fixture
def season():
    """March 2027 as a course editor in Paris sees it (UTC+1, then UTC+2 from 28 March)."""
    mine, lessons = build_course(title="Mine", modules=1, lessons_per_module=3)
    other, other_lessons = build_course(title="Other", modules=1, lessons_per_module=1)
    grant_page_permissions(mine, GROUP_COURSE_EDITORS)
    editor = UserFactory(
        groups=[GROUP_COURSE_EDITORS], profile__time_zone="Europe/Paris", profile__country="FR"
    )
    a = UserFactory(profile__country="KE", profile__full_name="Ama")
    b = UserFactory(profile__country="KE", profile__full_name="Bo")
    d = UserFactory(profile__country="BR", profile__full_name="Dee Erased")
    e = UserFactory(profile__country="SN", profile__full_name="Late")
    f = UserFactory(profile__country="SN", profile__full_name="Early")
    g = UserFactory(profile__country="SN", profile__full_name="Pending")
    h = UserFactory(profile__country="KE", profile__full_name="Hana Other")

    enrol(mine, a, at(2))
    done(mine, a, lessons, at(11))
    certificate_a = complete(mine, a, at(2), at(12))
    Certificate.objects.filter(pk=certificate_a.pk).update(revoked_at=at(20))

    enrol(mine, b, at(5), status=Enrolment.Status.WITHDRAWN)  # unenrolled after lesson 1
    done(mine, b, lessons[:1], at(6))

    enrol(mine, editor, at(10))  # the course editor is also a learner, in both courses
    done(mine, editor, lessons[:2], at(11))
    enrol(other, editor, at(10))

    enrol(mine, d, at(20))
    done(mine, d, lessons, at(23))
    complete(mine, d, at(20), at(24))

    enrol(mine, e, datetime(2027, 3, 31, 22, 30, tzinfo=UTC))  # 1 April, 00:30 in Paris
    enrol(mine, f, datetime(2027, 2, 28, 23, 30, tzinfo=UTC))  # 1 March, 00:30 in Paris
    EnrolmentFactory(course=mine, user=g, status=Enrolment.Status.PENDING, enrolled_at=None)

    enrol(other, h, at(3))
    done(other, h, other_lessons, at(14))
    complete(other, h, at(3), at(15))

    quiz = H5PContent.objects.create(title="Quiz")
    for user, correct in ((a, True), (b, False), (editor, True), (d, False), (d, True)):
        answer(user, quiz, lessons[0], "q1", correct, at(12))
    answer(a, quiz, lessons[0], "q2", False, at(12))
    answer(editor, quiz, lessons[0], "q2", False, at(12))
    answer(a, quiz, lessons[0], "q2", True, at(2, month=4))  # after the range
    answer(h, quiz, other_lessons[0], "q1", False, at(14))  # another course

    erase_account(d, by=None)  # erased afterwards: still counted, anonymously
    return {"mine": mine, "other": other, "lessons": lessons, "editor": editor}


def get(client, user, **params):
    client.force_login(user)
    return client.get(INDEX, params)


def test_a_course_editor_sees_their_course_in_the_range_of_their_zone(client, season):
    response = get(client, season["editor"], **MARCH)
    assert response.status_code == 200
    headline = response.context["headline"]
    # A, B (unenrolled), the editor, D (erased), F (1 March in Paris); not E (1 April in
    # Paris), not the pending request, not the other course.
    assert headline.enrolments == 5
    assert headline.learners == 5
    assert headline.completions == 2
    assert headline.completion_rate == 40.0  # A and D of five
    assert headline.median_days == 7.0  # 10 and 4 days
    assert headline.certificates_issued == 2
    assert headline.certificates_revoked == 1
    (row,) = response.context["tables"][0].rows
    assert [plain(cell) if isinstance(plain(cell), int | float) else str(cell) for cell in row] == [
        "Mine",
        5,
        1,
        2,
        40.0,
        2,
        7.0,
        2,
        1,
    ]
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert dict(charts["countries"].rows) == {
        "Kenya": 2,
        "France": 1,
        "Brazil": 1,
        "Senegal": 1,
    }
    assert "funnel" not in charts  # only for one chosen course
    # Hardest first; the other course's answer and the April answer are not counted.
    assert charts["questions"].rows == [("Quiz: Question q2", 0.0), ("Quiz: Question q1", 60.0)]
    detail = next(t for t in response.context["tables"] if t.key == "questions-detail")
    assert detail.rows == [
        ["Quiz: Question q2", 2, 0, 0.0, 2],
        ["Quiz: Question q1", 5, 3, 60.0, 4],
    ]
    assert b"<svg" in response.content and "Europe/Paris" in response.content.decode()


def test_the_funnel_follows_the_enrolments_of_the_period_lesson_by_lesson(client, season):
    response = get(client, season["editor"], course=season["mine"].pk, **MARCH)
    funnel = next(chart for chart in response.context["charts"] if chart.key == "funnel")
    titles = [lesson.title for lesson in season["lessons"]]
    assert [tuple(plain(cell) for cell in row) for row in funnel.rows] == [
        ("Enrolled", 5, 0),
        (f"1. {titles[0]}", 4, 1),  # A, B, the editor, D
        (f"2. {titles[1]}", 3, 1),
        (f"3. {titles[2]}", 2, 1),
    ]


def test_an_administrator_sees_every_course_and_each_person_once(client, season, admin_user):
    response = get(client, admin_user, **MARCH)
    headline = response.context["headline"]
    assert headline.courses == 2
    assert headline.enrolments == 7  # five in Mine, the editor and H in Other
    assert headline.learners == 6  # the editor counted once across two courses
    assert headline.completions == 3
    assert headline.completion_rate == 42.9  # 3 / 7
    assert headline.median_days == 10.0  # 4, 10, 12
    kenya = get(client, admin_user, country="KE", **MARCH).context["headline"]
    assert (kenya.enrolments, kenya.learners, kenya.completions) == (3, 3, 2)


def test_without_dates_everything_counts(client, season):
    headline = get(client, season["editor"]).context["headline"]
    assert headline.enrolments == 6  # E too
    # Only A's certificate was revoked (every certificate counted as revoked, before).
    assert (headline.certificates_issued, headline.certificates_revoked) == (2, 1)


def test_query_count_does_not_grow_with_learners(client, season):
    client.force_login(season["editor"])

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(INDEX, {"course": season["mine"].pk, **MARCH}).status_code == 200
        return len(queries_run)

    count()  # the first request fills per-process caches (site, content types)
    before = count()
    for day in range(1, 8):
        learner = UserFactory(profile__country="PE")
        enrol(season["mine"], learner, at(day + 3))
        done(season["mine"], learner, season["lessons"][:2], at(day + 4))
        complete(season["mine"], learner, at(day + 3), at(day + 6))
    assert count() == before


def test_people_without_courses_are_refused_and_other_courses_are_not_offered(client, season):
    assert get(client, UserFactory()).status_code == 302  # no admin access: to the login
    organizer = UserFactory(groups=[GROUP_ORGANIZERS])  # in the admin, edits no course
    # Wagtail answers the view's PermissionDenied by sending them to the dashboard.
    for params in ({}, {"table": "people", "export": "xlsx"}):
        response = get(client, organizer, **params)
        assert (response.status_code, response.url) == (302, "/admin/")
    response = get(client, season["editor"], course=season["other"].pk)
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert response.context["headline"].enrolments == 0
    assert response.context["tables"][0].rows == []
    assert "Hana Other" not in response.content.decode()
    export = get(client, season["editor"], course=season["other"].pk, table="people", export="csv")
    assert b"Hana" not in b"".join(export.streaming_content)


def test_courses_table_and_learners_export_as_csv_and_xlsx(client, season):
    client.force_login(season["editor"])
    response = client.get(INDEX, {**MARCH, "table": "countries", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Country", "Learners"] and ["Kenya", "2"] in rows

    response = client.get(INDEX, {**MARCH, "table": "people", "export": "xlsx"})
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Course", "Name")
    assert rows[0][5] == "Enrolled at (Europe/Paris)"
    assert len(rows) == 6
    early = next(row for row in rows if row[1] == "Early")
    assert early[5] == datetime(2027, 3, 1, 0, 30)  # shown in Paris time
    assert "" in [row[1] or "" for row in rows]  # the erased account, nameless
    assert client.get(INDEX, {"table": "nope", "export": "csv"}).status_code == 404


def test_scope_helpers_count_the_same_as_the_page(season):
    scope = queries.Scope(
        queries.courses_in_scope(season["editor"]),
        datetime(2027, 2, 28, 23, tzinfo=UTC),
        datetime(2027, 3, 31, 22, tzinfo=UTC),
    )
    assert queries.enrolments(scope).count() == 5
    assert (
        sum(n for _week, n in queries.per_week(queries.enrolments(scope), "enrolled_at", UTC)) == 5
    )


LEARNERS = reverse("course_reports:learners")


def names(response):
    return sorted(row[1] or "(erased)" for row in response.context["table"].rows)


def links(response):
    cells = [
        cell
        for table in [*response.context["tables"], *response.context["charts"]]
        for row in table.rows
        for cell in row
    ]
    return [cell for cell in cells if isinstance(cell, Link) and cell.url.startswith(LEARNERS)]


def test_numbers_lead_down_to_the_learners_behind_them(client, season):
    client.force_login(season["editor"])
    page = client.get(INDEX, {"course": season["mine"].pk, **MARCH})
    figures = links(page)
    # The course's row (enrolments, unenrolled, completed, completions) and the funnel
    # (four steps, three drop-offs: the first step's drop is not a figure).
    assert len(figures) == 4 + 4 + 3
    for figure in figures:  # every number is the length of its list
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["total"] == figure.value, figure.url
    lessons = season["lessons"]
    mine = season["mine"].pk

    def learners(**params):
        return names(client.get(LEARNERS, {"course": mine, **MARCH, **params}))

    editor = season["editor"].profile.full_name
    assert learners(figure="enrolments") == sorted(["Ama", "Bo", editor, "(erased)", "Early"])
    assert learners(figure="withdrawn") == ["Bo"]
    assert learners(figure="enrolled_completed") == ["(erased)", "Ama"]
    assert learners(figure="completions") == ["(erased)", "Ama"]
    assert learners(figure="lesson", lesson=lessons[2].pk) == ["(erased)", "Ama"]
    # Who stopped where: Early before lesson 1, Bo after it, the editor after lesson 2.
    assert learners(figure="stopped", lesson=lessons[0].pk) == ["Early"]
    assert learners(figure="stopped", lesson=lessons[1].pk) == ["Bo"]
    assert learners(figure="stopped", lesson=lessons[2].pk) == [editor]
    assert learners(figure="completions", country="KE") == ["Ama"]
    # The headline's completions across all the editor's courses.
    headline = client.get(LEARNERS, {"figure": "completions", **MARCH})
    assert names(headline) == ["(erased)", "Ama"]


def test_the_learners_behind_a_figure_export_as_xlsx(client, season):
    client.force_login(season["editor"])
    response = client.get(
        LEARNERS, {"course": season["mine"].pk, "figure": "withdrawn", "export": "xlsx", **MARCH}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Course", "Name", "Email", "Country", "Status")
    assert rows[1][:5] == ("Mine", "Bo", rows[1][2], "Kenya", "Unenrolled")
    assert len(rows) == 2


def test_only_course_editors_reach_the_learners_of_their_own_courses(client, season):
    client.force_login(season["editor"])
    # Another course, a lesson of another course, an unknown figure: nothing to show.
    other = client.get(LEARNERS, {"course": season["other"].pk, "figure": "enrolments"})
    assert other.status_code == 404
    foreign_lesson = season["other"].get_descendants().type(season["lessons"][0].__class__)
    response = client.get(
        LEARNERS,
        {"course": season["mine"].pk, "figure": "stopped", "lesson": foreign_lesson.first().pk},
    )
    assert response.status_code == 404
    assert client.get(LEARNERS, {"figure": "everyone"}).status_code == 404
    assert client.get(LEARNERS, {"figure": "lesson"}).status_code == 404  # needs a course
    export = client.get(
        LEARNERS, {"course": season["other"].pk, "figure": "enrolments", "export": "csv"}
    )
    assert export.status_code == 404
    organizer = UserFactory(groups=[GROUP_ORGANIZERS])  # in the admin, edits no course
    client.force_login(organizer)
    response = client.get(LEARNERS, {"figure": "enrolments"})
    assert (response.status_code, response.url) == (302, "/admin/")  # Wagtail's 403


def test_the_learners_page_runs_a_fixed_number_of_queries(client, season):
    client.force_login(season["editor"])
    params = {"course": season["mine"].pk, "figure": "stopped", "lesson": season["lessons"][1].pk}

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(LEARNERS, params).status_code == 200
        return len(queries_run)

    count()
    before = count()
    for day in range(1, 8):
        learner = UserFactory(profile__country="PE")
        enrol(season["mine"], learner, at(day + 3))
        done(season["mine"], learner, season["lessons"][:1], at(day + 4))
    assert count() == before
    assert client.get(LEARNERS, params).context["total"] == 8  # Bo and the seven


def test_the_learners_page_shows_its_title_once_as_the_page_heading(client, season):
    client.force_login(season["editor"])
    response = client.get(LEARNERS, {"course": season["mine"].pk, "figure": "completions", **MARCH})
    text, soup = visible_text(response)
    title = "Completed the course in the period"
    assert text.count(title) == 1
    assert soup.h1.get_text(" ", strip=True) == title


def test_weekly_charts_have_every_week_of_the_range_zero_where_nothing_happened(client, season):
    from datetime import date

    response = get(client, season["editor"], **MARCH)
    charts = {chart.key: chart for chart in response.context["charts"]}
    mondays = [date(2027, 3, day) for day in (1, 8, 15, 22, 29)]
    # A, B and F in the week of 1 March (F at 00:30 in Paris), the editor, then D.
    assert charts["enrolments-weeks"].rows == list(zip(mondays, [3, 1, 1, 0, 0], strict=True))
    # A completed on the 12th, D on the 24th: the weeks between and around count 0.
    assert charts["completions-weeks"].rows == list(zip(mondays, [0, 1, 0, 1, 0], strict=True))
