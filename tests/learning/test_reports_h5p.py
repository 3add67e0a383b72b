"""Reports › H5P activities: figures, per-question correctness, CSV, permissions."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from learning.factories import UserFactory
from learning.h5p.services import record_statements
from learning.migration_utils import GROUP_COURSE_EDITORS
from tests.fixtures_h5p_play import add_activity_page, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(quick_check_content, user, other_user):
    """Two learners on one page: one passes, one fails question 2; a third only starts."""
    page = add_activity_page(quick_check_content, title="Lesson one")
    content = quick_check_content
    record_statements(
        user,
        [
            statement(page, content, raw=1, success=True, child="q1"),
            statement(page, content, raw=1, success=True, child="q2"),
            statement(page, content, verb="completed", raw=2, max_score=2, success=True),
        ],
    )
    record_statements(
        other_user,
        [
            statement(page, content, raw=1, success=True, child="q1"),
            statement(page, content, raw=0, success=False, child="q2"),
            statement(page, content, verb="completed", raw=1, max_score=2, success=False),
        ],
    )
    starter = UserFactory()
    record_statements(starter, statement(page, content, verb="attempted"))
    return page


def editor():
    user = UserFactory()
    user.is_staff = False
    user.save()
    user.groups.add(Group.objects.get(name=GROUP_COURSE_EDITORS))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_course_editors_hold_the_report_permission():
    group = Group.objects.get(name=GROUP_COURSE_EDITORS)
    assert group.permissions.filter(codename="view_activityprogress").exists()


def test_report_shows_learners_completion_scores_and_questions(client, played, quick_check_content):
    client.force_login(editor())
    response = client.get(reverse("h5p_reports:report", args=[quick_check_content.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.learners, summary.completed, summary.attempts) == (3, 2, 2)
    assert summary.completion_rate == pytest.approx(2 / 3)
    assert summary.average_score == pytest.approx(0.75)
    questions = {row["sub_content_id"]: row for row in response.context["questions"]}
    assert (questions["q1"]["answers"], questions["q1"]["correct"]) == (2, 2)
    assert (questions["q2"]["answers"], questions["q2"]["correct"]) == (2, 1)
    assert questions["q2"]["correct_rate"] == 0.5
    assert "67%" in response.text  # completion rate
    assert "UTC" in response.text  # times named with their zone


def test_index_lists_contents_with_figures_in_bounded_queries(
    client, played, quick_check_content, django_assert_max_num_queries
):
    client.force_login(editor())
    url = reverse("h5p_reports:index")
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    content = next(c for c in response.context["page_obj"] if c.pk == quick_check_content.pk)
    assert (content.learner_count, content.completed_count, content.attempt_count) == (3, 2, 2)
    assert content.average_best_score == pytest.approx(0.75)


def test_csv_export_neutralises_formulas(client, quick_check_content):
    page = add_activity_page(quick_check_content, title='=HYPERLINK("http://evil")')
    learner = UserFactory(
        first_name="@SUM(1+1)", last_name="", profile__full_name="+cmd|' /C calc'!A0"
    )
    record_statements(learner, statement(page, quick_check_content, raw=1))
    client.force_login(editor())
    response = client.get(reverse("h5p_reports:csv", args=[quick_check_content.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Learner"
    row = rows[1]
    assert row[0] == "'+cmd|' /C calc'!A0"
    assert row[2] == '\'=HYPERLINK("http://evil")'
    assert row[3] == "1" and row[6] == "100"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("view", ["index", "report", "csv"])
def test_learners_and_staff_without_permission_get_403(
    client, played, quick_check_content, user, view
):
    args = [] if view == "index" else [quick_check_content.pk]
    staff = UserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for who in (user, staff):
        client.force_login(who)
        response = client.get(reverse(f"h5p_reports:{view}", args=args))
        assert response.status_code in (302, 403)
        assert b"Lesson one" not in response.content


def test_report_of_unknown_content_is_404(client):
    client.force_login(editor())
    assert client.get(reverse("h5p_reports:report", args=[999999])).status_code == 404
