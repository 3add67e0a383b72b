"""``/healthz``: cheap, anonymous, no personal data; 200 while the database answers, with
the cache, storage and task backlog reported."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from learning import cache as resilient
from learning.factories import UserFactory
from learning.tasks import forward_statement
from tests.learning.test_cache_resilience import redis_settings

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_site_reports_every_check_without_personal_data(
    client, django_assert_max_num_queries
):
    user = UserFactory(email="someone.private@example.org")
    client.force_login(user)
    with django_assert_max_num_queries(4):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "cache",
        "storage",
        "tasks",
    }
    assert "someone.private" not in response.text
    assert "sessionid" not in response.cookies


@override_settings(TASKS=DB_TASKS)
def test_task_backlog_and_the_age_of_the_oldest_due_task(client):
    from django_tasks_db.models import DBTaskResult

    for statement_pk in (1, 2, 3):
        forward_statement.enqueue(statement_pk)
    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(
        enqueued_at=timezone.now() - timedelta(minutes=10)
    )
    # Deferred to the future: not yet part of the backlog.
    forward_statement.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(4)

    tasks = client.get("/healthz").json()["checks"]["tasks"]
    assert tasks["backlog"] == 3
    assert 590 <= tasks["oldest_due_seconds"] <= 700
    assert tasks["running"] == 0


def test_cache_down_is_reported_but_the_server_stays_in_service(client, closed_port_url):
    resilient._down_until.clear()
    with redis_settings(closed_port_url):
        response = client.get("/healthz")
    resilient._down_until.clear()
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
