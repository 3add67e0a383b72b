"""Reports, summaries, admin-home panels, certificate rules and reminders count a page in
several languages once: its canonical (default-language) version, which holds its data."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses.admin_home import CoursesThisMonthPanel
from courses.factories import CoursePageFactory, EnrolmentFactory
from courses.models import CoursePage
from learning.factories import (
    UserFactory,
    WorkshopPageFactory,
    WorkshopParticipantFactory,
    translate_page,
)
from learning.translations import canonical_only
from webinars.admin_home import NextSessionsPanel
from webinars.certificates import SeriesAttended
from webinars.factories import RegistrationFactory, WebinarPageFactory, WebinarSeriesPageFactory
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fixtures_workshops"]


def _series(*, past=True, sessions=2, **fields):
    """A series with ``sessions`` sessions (ended ten days ago, or starting in a week)."""
    series = WebinarSeriesPageFactory(title="KM4B", **fields)
    base = timezone.now() + (timedelta(days=-10) if past else timedelta(days=7))
    webinars = [
        WebinarPageFactory(
            parent=series,
            title=f"Session {n}",
            start=base + timedelta(days=n),
            end=base + timedelta(days=n, hours=1),
        )
        for n in range(1, sessions + 1)
    ]
    return series, webinars


def _translate_series(series, webinars, language="fr"):
    version = translate_page(series, language, title=f"{series.title} ({language})")
    sessions = [translate_page(w, language, title=f"{w.title} ({language})") for w in webinars]
    return version, sessions


def _translate_course(course, language="fr"):
    return translate_page(course, language, title=f"{course.title} ({language})")


def test_canonical_only_keeps_default_language_pages_and_pages_only_in_another():
    course = CoursePageFactory(title="KM")
    french = _translate_course(course)
    orphan = _translate_course(CoursePageFactory(title="Orphan"))
    # A page with no version in the default locale is its own canonical page.
    CoursePage.objects.filter(pk=orphan.pk).update(translation_key=uuid.uuid4())

    kept = set(canonical_only(CoursePage.objects.all()).values_list("pk", flat=True))

    assert course.pk in kept and orphan.pk in kept
    assert french.pk not in kept


def test_course_reports_list_a_translated_course_once(client, admin_user):
    course = CoursePageFactory(title="KM")
    EnrolmentFactory(course=course)
    _translate_course(course)
    client.force_login(admin_user)

    response = client.get(reverse("course_reports:index"))

    rows = response.context["tables"][0].rows
    assert [str(row[0]) for row in rows] == ["KM"]
    assert list(response.context["form"].fields["course"].queryset) == [course]
    assert response.context["headline"].enrolments == 1


def test_webinar_reports_list_each_session_once(client, admin_user):
    series, webinars = _series()
    RegistrationFactory(webinar=webinars[0])
    _translate_series(series, webinars)
    client.force_login(admin_user)

    response = client.get(reverse("webinar_reports:index"))

    assert response.context["headline"].sessions == 2
    assert len(response.context["tables"][0].rows) == 2
    assert list(response.context["form"].fields["series"].queryset) == [series]


def test_programme_summary_figures_do_not_change_when_pages_are_translated(
    client, admin_user, africa, workshop_index
):
    series, webinars = _series()
    course = CoursePageFactory(title="KM")
    learner = UserFactory(profile__country="KE")
    today = timezone.now().date()
    workshop = WorkshopPageFactory(
        parent=workshop_index,
        region=africa,
        start_date=today - timedelta(days=5),
        end_date=today - timedelta(days=4),
        venue_country="KE",
    )
    WorkshopParticipantFactory(workshop=workshop, user=learner)
    RegistrationFactory(webinar=webinars[0], user=learner, attended=True)
    EnrolmentFactory(course=course, user=learner)
    client.force_login(admin_user)
    period = {"date_from": str(today - timedelta(days=60)), "date_to": str(today)}

    def figures():
        response = client.get(reverse("programme_summary:index"), period)
        return {
            (section.key, str(label)): value
            for section in response.context["sections"]
            for label, value in section.figures
        }

    before = figures()
    _translate_series(series, webinars)
    _translate_course(course)
    translate_page(workshop, "fr", title="Atelier")
    after = figures()

    assert before[("webinars", "Webinar sessions held")] == 2
    assert before[("workshops", "Workshops")] == 1
    assert after == before


def _panel_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_home_panels_list_each_page_once(admin_user):
    series, webinars = _series(past=False)
    course = CoursePageFactory(title="KM")
    _translate_series(series, webinars)
    _translate_course(course)
    request = _panel_request(admin_user)

    sessions = NextSessionsPanel(request).get_context_data({})["rows"]
    courses = CoursesThisMonthPanel(request).get_context_data({})["courses"]

    assert [row["session"].pk for row in sessions] == [w.pk for w in webinars]
    assert [c.pk for c in courses] == [course.pk]


def test_series_certificate_counts_the_canonical_sessions(user):
    series, webinars = _series(sessions=3, certificate_sessions_required=2)
    for webinar in webinars[:2]:
        RegistrationFactory(webinar=webinar, user=user, attended=True)
    french, _sessions = _translate_series(series, webinars)
    rule = SeriesAttended()

    for given in (series, french):
        award = rule.award(user, webinar=webinars[0], series=given)
        assert award is not None
        assert (award.sessions_attended, award.sessions_total) == (2, 3)
        assert award.source.pk == series.pk
        assert rule.subject(user, webinar=webinars[0], series=given)[1].pk == series.pk


def test_publishing_a_translated_webinar_schedules_nothing_of_its_own(
    django_capture_on_commit_callbacks,
):
    series, webinars = _series(past=False, sessions=1)
    RegistrationFactory(webinar=webinars[0])
    _french, (french,) = _translate_series(series, webinars)
    # The French version is published with another time (an editor's slip, or a copy
    # of the page from before a reschedule): its own "reschedule" must not happen.
    french.start += timedelta(days=1)
    french.end += timedelta(days=1)
    with (
        mock.patch("webinars.services.schedule.schedule_reminders") as scheduled,
        django_capture_on_commit_callbacks(execute=True),
    ):
        french.save_revision().publish()

    assert [call.args[0].pk for call in scheduled.call_args_list] == []
    assert WebinarPage.objects.get(pk=french.pk).sequence == webinars[0].sequence


def test_admin_enrolment_and_registration_lists_show_each_page_once(client, admin_user):
    series, webinars = _series(past=False, sessions=1)
    course = CoursePageFactory(title="KM")
    _translate_series(series, webinars)
    french_course = _translate_course(course)
    client.force_login(admin_user)

    courses = client.get(reverse("course_admin:index")).context["courses"]
    sessions = client.get(reverse("webinar_admin:index")).context["webinars"]

    assert [c.pk for c in courses] == [course.pk]
    assert [w.pk for w in sessions] == [webinars[0].pk]
    # Editing a translation stays allowed: the permission querysets are not filtered.
    assert client.get(f"/admin/pages/{french_course.pk}/edit/").status_code == 200
