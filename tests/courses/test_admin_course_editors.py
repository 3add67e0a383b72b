"""Course editors' admin: approval flow, per-course report, CSV export, permissions."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from courses import services
from courses.factories import EnrolmentFactory, build_course, grant_page_permissions
from courses.models import CourseCompletion, Enrolment, EnrolmentMode
from learning.factories import UserFactory
from learning.migration_utils import GROUP_COURSE_EDITORS

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def editor(db):
    return UserFactory(groups=[GROUP_COURSE_EDITORS])


@pytest.fixture
def course(editor):
    course, _lessons = build_course(enrolment_mode=EnrolmentMode.APPROVAL, title="KM basics")
    grant_page_permissions(course.get_parent(), GROUP_COURSE_EDITORS)
    return course


def test_editor_approves_a_request_and_the_learner_is_emailed(
    client, editor, course, user, django_capture_on_commit_callbacks
):
    enrolment = services.enrol(course, user)
    client.force_login(editor)
    index = client.get(reverse("course_admin:index"))
    assert index.status_code == 200 and "KM basics" in index.content.decode()
    listing = client.get(
        reverse("course_admin:enrolments", args=[course.pk]), {"status": "pending"}
    )
    assert user.email in listing.content.decode()

    url = reverse("course_admin:decide", args=[course.pk, enrolment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "note": "Welcome aboard"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE and enrolment.decided_by == editor
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Welcome aboard" in mail.outbox[0].body


def test_editor_rejects_with_a_note(
    client, editor, course, user, django_capture_on_commit_callbacks
):
    enrolment = services.enrol(course, user)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("course_admin:decide", args=[course.pk, enrolment.pk]),
            {"decision": "reject", "note": "This course is for focal points."},
        )
    enrolment.refresh_from_db()
    assert enrolment.status == Status.REJECTED
    assert "declined" in mail.outbox[0].body


def test_learner_is_kept_out_and_editor_of_other_courses_gets_404_data_unchanged(
    client, course, user
):
    from django.contrib.auth.models import Group, Permission

    enrolment = services.enrol(course, user)
    decide = reverse("course_admin:decide", args=[course.pk, enrolment.pk])
    client.force_login(user)
    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 302 and "/admin/login/" in response.url

    # Same model permissions as course editors, but no page permission on this course.
    group = Group.objects.create(name="Other editors")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_enrolment", "change_enrolment"]
        )
    )
    outsider = UserFactory(groups=["Other editors"])
    client.force_login(outsider)
    assert client.get(reverse("course_admin:index")).status_code == 200
    assert client.get(reverse("course_admin:enrolments", args=[course.pk])).status_code == 404
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert client.get(reverse("course_admin:export", args=[course.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PENDING


def test_staff_without_enrolment_permission_is_turned_away(client, course):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(UserFactory(groups=["Admin only"]))
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    response = client.get(reverse("course_admin:report", args=[course.pk]))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_report_figures(client, editor):
    course, lessons = build_course(modules=1, lessons_per_module=3)
    grant_page_permissions(course.get_parent(), GROUP_COURSE_EDITORS)
    finisher, fast, middle, leaver = (UserFactory() for _n in range(4))
    for learner in (finisher, fast, middle, leaver):
        services.enrol(course, learner)
    for lesson in lessons:
        services.complete_lesson(lesson, finisher)
        services.complete_lesson(lesson, fast)
    services.complete_lesson(lessons[0], middle)
    services.unenrol(Enrolment.objects.get(user=leaver), user=leaver)
    # finisher took 4 days, fast 2 days: median 3.
    for learner, days in ((finisher, 4), (fast, 2)):
        completion = CourseCompletion.objects.get(user=learner)
        completion.started_at = completion.completed_at - timedelta(days=days)
        completion.save()

    client.force_login(editor)
    response = client.get(reverse("course_admin:report", args=[course.pk]))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.enrolled, report.in_progress, report.completed, report.withdrawn) == (4, 1, 2, 1)
    assert report.completion_rate == 50
    assert report.median_days == 3.0
    assert [(row.completed, row.drop_off) for row in report.lessons] == [(3, 1), (2, 1), (2, 0)]


def test_csv_export_neutralises_formulas(client, editor, course):
    learner = UserFactory(profile__full_name='=HYPERLINK("http://evil.example","x")')
    EnrolmentFactory(course=course, user=learner, status=Status.ACTIVE)
    client.force_login(editor)
    response = client.get(reverse("course_admin:export", args=[course.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[1][1] == learner.email and rows[1][3] == "Enrolled"


def test_enrolment_listing_and_report_query_counts_do_not_grow(
    client, editor, course, django_assert_max_num_queries
):
    client.force_login(editor)
    urls = [
        reverse("course_admin:enrolments", args=[course.pk]),
        reverse("course_admin:report", args=[course.pk]),
        reverse("course_admin:export", args=[course.pk]),
    ]

    def counts():
        result = []
        for url in urls:
            with django_assert_max_num_queries(40) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured.captured_queries))
        return result

    EnrolmentFactory(course=course, status=Status.PENDING)
    counts()  # warm caches
    few = counts()
    for _n in range(20):
        EnrolmentFactory(course=course, status=Status.PENDING)
    assert counts() == few


def test_page_explorer_links_to_enrolments_and_report(client, editor, course):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_explore", args=[course.get_parent().pk])).content
    html = html.decode()
    assert reverse("course_admin:enrolments", args=[course.pk]) in html
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert reverse("course_admin:report", args=[course.pk]) in edit


def test_report_averages_h5p_scores_per_activity(client, editor, quick_check_content):
    from learning.models import ActivityProgress

    course, lessons = build_course(modules=1, lessons_per_module=1)
    grant_page_permissions(course.get_parent(), GROUP_COURSE_EDITORS)
    lesson = lessons[0]
    lesson.body = [("h5p", {"content": quick_check_content, "pass_mark": 50, "required": True})]
    lesson.save_revision().publish()
    for best, attempts, completed in ((1.0, 1, True), (0.5, 3, True), (None, 0, False)):
        ActivityProgress.objects.create(
            user=UserFactory(),
            content=quick_check_content,
            page=lesson,
            best_score=best,
            attempts=attempts,
            completed=completed,
        )
    client.force_login(editor)
    report = client.get(reverse("course_admin:report", args=[course.pk])).context["report"]
    [row] = report.activities
    assert (row.content, row.learners, row.completed) == (quick_check_content, 3, 2)
    assert row.average_best == 75.0
    assert row.average_attempts == pytest.approx(1.3, abs=0.05)
