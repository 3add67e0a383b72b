"""Editors play the activities of pages they may edit (Wagtail's preview included), and
nothing they do there counts as learner progress."""

import json

import pytest
from django.urls import reverse

from learning.h5p import tokens
from learning.migration_utils import GROUP_COURSE_EDITORS
from learning.models import ActivityProgress, H5PUserData, XAPIStatement
from tests.fixtures_h5p_play import content_host, statement
from tests.learning.test_views_h5p_player import on_content_host, player_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_page(activity_page):
    """A page learners cannot take (not live), that editors still work on."""
    activity_page.unpublish()
    activity_page.refresh_from_db()
    return activity_page


def test_wagtail_preview_plays_the_activity_untracked(client, admin_user, draft_page):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft_page.pk]))
    assert response.status_code == 200
    assert "data-h5p-preview" in response.text
    assert "data-h5p-endpoint" not in response.text  # the page sends no statements
    assert "Nothing you do is recorded as learner progress" in response.text
    path = player_path(response)
    assert tokens.read_token(path.split("/")[2]).preview
    assert on_content_host(client, path).status_code == 200


def test_preview_keeps_no_resume_state(client, admin_user, draft_page, quick_check_content):
    client.force_login(admin_user)
    path = player_path(client.get(reverse("wagtailadmin_pages:view_draft", args=[draft_page.pk])))
    token = path.split("/")[2]
    url = f"/h5p/{token}/state/{quick_check_content.current_version_id}/state/0/"
    saved = client.post(url, {"data": '{"selected": 1}'}, HTTP_HOST=content_host(url))
    assert saved.json() == {"success": True}
    assert H5PUserData.objects.count() == 0
    assert on_content_host(client, url).json() == {"success": True}


def test_course_editor_plays_a_lesson_activity_without_enrolling(client, quick_check_content):
    """The on-site editor view of a lesson (issue #14 item 6): the activity plays, untracked."""
    from courses.factories import build_course, grant_page_permissions
    from courses.models import CompletionRule
    from learning.factories import UserFactory

    course, lessons = build_course(title="Rio synergies")
    lesson = lessons[0]
    lesson.completion_rule = CompletionRule.ACTIVITIES
    lesson.body = [("h5p", {"content": quick_check_content, "pass_mark": None, "required": True})]
    lesson.save_revision().publish()
    grant_page_permissions(course, GROUP_COURSE_EDITORS)
    editor = UserFactory(groups=[GROUP_COURSE_EDITORS])
    client.force_login(editor)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "data-h5p-preview" in response.text
    assert "enrol in the course" not in response.text
    assert on_content_host(client, player_path(response)).status_code == 200


def test_preview_token_of_someone_who_may_not_edit_is_refused(
    client, user, draft_page, quick_check_content
):
    token = tokens.issue_token(
        user_id=user.pk,
        version_id=quick_check_content.current_version_id,
        page_id=draft_page.pk,
        preview=True,
    )
    assert on_content_host(client, f"/h5p/{token}/play/").status_code == 403


def test_an_editors_statements_on_a_page_they_only_preview_are_not_progress(
    client, admin_user, draft_page, quick_check_content
):
    client.force_login(admin_user)
    response = client.post(
        reverse("learning:xapi_statements"),
        json.dumps(statement(draft_page, quick_check_content, raw=1)),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (ActivityProgress.objects.count(), XAPIStatement.objects.count()) == (0, 0)


def test_a_learner_of_the_draft_page_is_still_denied(client, user, draft_page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft_page.pk]))
    assert "data-h5p-preview" not in response.text
    assert "h5p-activity-frame" not in response.text
