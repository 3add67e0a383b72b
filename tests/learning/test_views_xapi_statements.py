"""POST /learning/xapi/statements/: session, CSRF, access, idempotency, limits."""

import json
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from wagtail import hooks

from learning.models import ActivityProgress, XAPIStatement
from learning.signals import activity_completed
from tests.fixtures_h5p_play import add_activity_page, statement

pytestmark = pytest.mark.django_db

URL = "/learning/xapi/statements/"


def post(client, payload, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **extra)


def test_url_is_the_documented_one():
    assert reverse("learning:xapi_statements") == URL


def test_answered_statement_completes_the_activity_with_its_score(
    learner_client, user, activity_page, quick_check_content
):
    response = post(
        learner_client, statement(activity_page, quick_check_content, raw=1, success=True)
    )
    assert response.status_code == 200
    assert response.json()["stored"] == 1
    progress = ActivityProgress.objects.get(user=user, page=activity_page)
    assert (progress.completed, progress.success, progress.best_score, progress.attempts) == (
        True,
        True,
        1.0,
        1,
    )
    assert response.json()["progress"][0]["completed"] is True


def test_actor_is_taken_from_the_session_not_the_body(
    learner_client, user, other_user, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["actor"] = {"mbox": f"mailto:{other_user.email}"}
    post(learner_client, data)
    stored = XAPIStatement.objects.get()
    assert stored.user == user
    assert stored.raw["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(user.pk)},
    }
    assert not ActivityProgress.objects.filter(user=other_user).exists()


def test_anonymous_post_is_refused(client, activity_page, quick_check_content):
    response = post(client, statement(activity_page, quick_check_content, raw=1))
    assert response.status_code == 401
    assert not XAPIStatement.objects.exists()


def test_post_without_csrf_token_is_refused(user, activity_page, quick_check_content):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = post(client, statement(activity_page, quick_check_content, raw=1))
    assert response.status_code == 403
    assert not XAPIStatement.objects.exists()


def test_post_with_csrf_token_is_accepted(user, activity_page, quick_check_content):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(activity_page.url)
    token = page.context["csrf_token"]
    response = post(
        client, statement(activity_page, quick_check_content, raw=1), HTTP_X_CSRFTOKEN=str(token)
    )
    assert response.status_code == 200


def test_object_id_outside_the_issued_iri_is_refused(
    learner_client, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["object"]["id"] = "http://evil.example/learning/h5p/activity/1/1"
    response = post(learner_client, data)
    assert response.status_code == 400
    assert "object.id" in response.json()["error"]
    assert not XAPIStatement.objects.exists()


def test_iri_prefix_of_another_content_is_not_a_match(
    learner_client, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    data["object"]["id"] += "0"  # /page/12 -> /page/120: another activity, not embedded here
    assert post(learner_client, data).status_code == 403
    assert not XAPIStatement.objects.exists()


def test_content_not_embedded_in_the_page_is_refused(
    learner_client, quick_check_content, h5p_upload
):
    from learning.h5p.services import import_h5p

    other = import_h5p(h5p_upload(title="Elsewhere"), user=None, allow_libraries=True).content
    page = add_activity_page(quick_check_content)
    response = post(learner_client, statement(page, other, raw=1))
    assert response.status_code == 403
    assert not XAPIStatement.objects.exists()


def test_unpublished_page_is_refused(learner_client, activity_page, quick_check_content):
    activity_page.unpublish()
    response = post(learner_client, statement(activity_page, quick_check_content, raw=1))
    assert response.status_code == 403
    assert not ActivityProgress.objects.exists()


def test_page_unpublished_after_statements_refuses_the_next_one(
    learner_client, activity_page, quick_check_content
):
    # The first statement fills the cache of what the IRI points at; unpublishing empties it.
    answer = statement(activity_page, quick_check_content, raw=1, child="q1")
    assert post(learner_client, answer).status_code == 200
    activity_page.unpublish()
    response = post(learner_client, statement(activity_page, quick_check_content, raw=1))
    assert response.status_code == 403
    assert XAPIStatement.objects.count() == 1
    assert not ActivityProgress.objects.exists()


def test_block_removed_and_republished_refuses_the_next_statement(
    learner_client, activity_page, quick_check_content
):
    assert post(learner_client, statement(activity_page, quick_check_content)).status_code == 200
    activity_page.body = []
    activity_page.save_revision().publish()
    response = post(learner_client, statement(activity_page, quick_check_content, raw=1))
    assert response.status_code == 403
    assert XAPIStatement.objects.count() == 1


def test_deleted_page_refuses_the_next_statement(
    learner_client, activity_page, quick_check_content
):
    assert post(learner_client, statement(activity_page, quick_check_content)).status_code == 200
    gone = statement(activity_page, quick_check_content, raw=1)
    activity_page.delete()
    assert post(learner_client, gone).status_code == 403
    assert not ActivityProgress.objects.exists()


def test_replaced_package_is_the_version_of_statements_without_a_hint(
    learner_client, activity_page, quick_check_content, h5p_upload
):
    from learning.h5p.services import import_h5p

    assert post(learner_client, statement(activity_page, quick_check_content)).status_code == 200
    import_h5p(h5p_upload(title="v2"), user=None, content=quick_check_content, allow_libraries=True)
    quick_check_content.refresh_from_db()
    unhinted = statement(activity_page, quick_check_content, raw=1)
    del unhinted["object"]["definition"]["extensions"]
    assert post(learner_client, unhinted).status_code == 200
    assert XAPIStatement.objects.get(statement_id=unhinted["id"]).version == (
        quick_check_content.current_version
    )
    progress = ActivityProgress.objects.get()
    assert progress.last_version == quick_check_content.current_version


def test_access_hook_false_denies_and_stores_nothing(
    learner_client, user, activity_page, quick_check_content
):
    def deny(hook_user, content, page):
        return False if hook_user == user else None

    with hooks.register_temporarily("learning_h5p_access", deny):
        response = post(learner_client, statement(activity_page, quick_check_content, raw=1))
        assert response.status_code == 403
        assert "activity-frame" not in learner_client.get(activity_page.url).text
    assert not XAPIStatement.objects.exists()
    assert not ActivityProgress.objects.exists()


def test_access_hook_without_opinion_keeps_the_default(
    learner_client, activity_page, quick_check_content
):
    with hooks.register_temporarily("learning_h5p_access", lambda *args: None):
        assert (
            post(learner_client, statement(activity_page, quick_check_content, raw=1)).status_code
            == 200
        )


def test_replayed_statement_is_stored_once(learner_client, activity_page, quick_check_content):
    data = statement(activity_page, quick_check_content, raw=1)
    assert post(learner_client, data).json()["stored"] == 1
    again = post(learner_client, data)
    assert again.status_code == 200
    assert again.json() == {**again.json(), "stored": 0, "duplicates": 1}
    assert XAPIStatement.objects.count() == 1
    assert ActivityProgress.objects.get().attempts == 1


def test_same_id_with_another_body_is_a_conflict(
    learner_client, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=0)
    post(learner_client, data)
    forged = {**data, "result": {"score": {"raw": 1, "max": 1}, "success": True}}
    response = post(learner_client, forged)
    assert response.status_code == 409
    progress = ActivityProgress.objects.get()
    assert progress.best_score == 0.0
    assert XAPIStatement.objects.count() == 1


def test_same_id_from_another_learner_is_a_conflict(
    client, user, other_user, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1)
    client.force_login(user)
    post(client, data)
    client.force_login(other_user)
    assert post(client, data).status_code == 409
    assert not ActivityProgress.objects.filter(user=other_user).exists()


def test_batch_is_all_or_nothing(learner_client, activity_page, quick_check_content):
    good = statement(activity_page, quick_check_content, raw=1)
    bad = statement(activity_page, quick_check_content, raw=1)
    bad["verb"] = {}
    response = post(learner_client, [good, bad])
    assert response.status_code == 400
    assert "Statement 2" in response.json()["error"]
    assert not XAPIStatement.objects.exists()


def test_batch_is_stored_together(learner_client, activity_page, quick_check_content):
    batch = [
        statement(activity_page, quick_check_content, raw=1, child="q1"),
        statement(activity_page, quick_check_content, raw=0, child="q2"),
        statement(activity_page, quick_check_content, verb="completed", raw=1, max_score=2),
    ]
    response = post(learner_client, batch)
    assert response.json()["stored"] == 3
    progress = ActivityProgress.objects.get()
    assert progress.best_score == 0.5
    assert progress.attempts == 1


def test_oversized_body_gets_413_and_nothing_is_stored(
    learner_client, activity_page, quick_check_content
):
    data = statement(activity_page, quick_check_content, raw=1, padding="x" * 2000)
    with override_settings(LEARNING_XAPI_MAX_BODY_SIZE=1024):
        response = post(learner_client, data)
    assert response.status_code == 413
    assert not XAPIStatement.objects.exists()


def test_rate_limit_gets_429(learner_client, activity_page, quick_check_content):
    from django.core.cache import cache

    cache.clear()
    with override_settings(LEARNING_XAPI_RATE_LIMIT=2):
        codes = [
            post(
                learner_client, statement(activity_page, quick_check_content, verb="interacted")
            ).status_code
            for _ in range(3)
        ]
    assert codes == [200, 200, 429]
    assert XAPIStatement.objects.count() == 2
    cache.clear()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        ("[]", "non-empty list"),
        ('"text"', "non-empty list"),
        ("[1]", "JSON object"),
    ],
)
def test_malformed_bodies_get_a_clear_400(learner_client, body, message):
    response = post(learner_client, body)
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-uuid"}, "id must be a UUID"),
        ({"verb": {"id": 3}}, "verb.id"),
        ({"object": {}}, "object.id"),
        ({"result": {"score": {"raw": "1", "max": 1}}}, "result.score.raw"),
        ({"result": {"success": "yes"}}, "result.success"),
    ],
)
def test_invalid_statement_parts_are_named(
    learner_client, activity_page, quick_check_content, change, message
):
    data = {**statement(activity_page, quick_check_content, raw=1), **change}
    response = post(learner_client, data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not XAPIStatement.objects.exists()


def test_activity_completed_is_sent_after_commit(
    learner_client, user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    activity_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            post(learner_client, statement(activity_page, quick_check_content, raw=1, success=True))
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        activity_completed.disconnect(listener)
    assert len(received) == 1
    assert received[0]["user"] == user
    assert received[0]["content"] == quick_check_content
    assert received[0]["page"].pk == activity_page.pk
    assert received[0]["progress"].completed is True


def test_child_statement_does_not_send_activity_completed(
    learner_client, activity_page, quick_check_content
):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    activity_completed.connect(listener)
    try:
        post(learner_client, statement(activity_page, quick_check_content, raw=1, child="abc"))
    finally:
        activity_completed.disconnect(listener)
    assert received == []
    assert not ActivityProgress.objects.exists()


def test_statement_without_id_gets_one(learner_client, activity_page, quick_check_content):
    data = statement(activity_page, quick_check_content, raw=1)
    del data["id"]
    assert post(learner_client, data).status_code == 200
    assert isinstance(XAPIStatement.objects.get().statement_id, uuid.UUID)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_scores_are_refused(learner_client, activity_page, quick_check_content, number):
    data = json.dumps(statement(activity_page, quick_check_content, raw=1)).replace(
        '"raw": 1', f'"raw": {number}'
    )
    response = post(learner_client, data)
    assert response.status_code == 400
    assert "result.score.raw" in response.json()["error"]
    assert not XAPIStatement.objects.exists()
