"""Settings › Background tasks: administrators see failed and stalled tasks and run them
again; nobody else sees or touches them. The health endpoint counts them."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from learning.factories import UserFactory
from learning.migration_utils import GROUP_ORGANIZERS
from learning.models import TaskDelivery
from tests.fixtures_redis import free_port
from webinars import tasks
from webinars.factories import RegistrationFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMTP_DOWN = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_USE_TLS": False,
    "EMAIL_TIMEOUT": 2,
}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def failed_email():
    """A confirmation whose every attempt met a mail server that was down."""
    registration = RegistrationFactory(user=UserFactory(email="ana@example.org"))
    with override_settings(
        TASKS=DB_TASKS, LEARNING_TASK_MAX_ATTEMPTS=1, EMAIL_PORT=free_port(), **SMTP_DOWN
    ):
        result = tasks.send_registration_email.enqueue(registration.pk, "confirmed")
        run_worker()
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_administrator_sees_a_failed_email_and_runs_it_again_once(client, failed_email):
    assert failed_email.status == TaskResultStatus.FAILED
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    page = client.get(reverse("task_queue:index"))
    assert page.status_code == 200
    assert "send_registration_email" in page.text
    assert "ConnectionRefusedError" in page.text

    response = client.post(reverse("task_queue:run_again", args=[failed_email.pk]))
    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert failed_email.status == TaskResultStatus.READY
    run_worker()
    # A second "Run again" of a task that is no longer failed changes nothing.
    client.post(reverse("task_queue:run_again", args=[failed_email.pk]))
    run_worker()

    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    failed_email.refresh_from_db()
    assert failed_email.status == TaskResultStatus.SUCCESSFUL
    assert TaskDelivery.objects.get(key=str(failed_email.pk)).status == TaskDelivery.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_organizers_cannot_see_or_rerun_tasks(client, failed_email):
    organizer = UserFactory()
    organizer.groups.add(Group.objects.get(name=GROUP_ORGANIZERS))
    client.force_login(organizer)

    # Wagtail answers a refused admin page with a redirect to the dashboard.
    page = client.get(reverse("task_queue:index"))
    assert (page.status_code, page["Location"]) == (302, "/admin/")
    response = client.post(reverse("task_queue:run_again", args=[failed_email.pk]))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    failed_email.refresh_from_db()
    assert failed_email.status == TaskResultStatus.FAILED
    assert "background-tasks" not in client.get("/admin/").text


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, LEARNING_TASK_RUNNING_TIMEOUT=60)
def test_health_counts_stalled_and_failed_tasks(client):
    for registration_id in (1, 2, 3):
        tasks.send_registration_email.enqueue(registration_id, "confirmed")
    first, second, third = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=first.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    DBTaskResult.objects.filter(pk=second.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    DBTaskResult.objects.filter(pk=third.pk).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )

    figures = client.get("/healthz").json()["checks"]["tasks"]
    assert (figures["running"], figures["stalled"], figures["failed"]) == (2, 1, 1)
    assert figures["backlog"] == 0


@pytest.mark.django_db
def test_a_delivery_already_done_is_not_repeated():
    registration = RegistrationFactory()
    tasks.send_registration_email.enqueue(registration.pk, "confirmed", delivery_key="k1")
    tasks.send_registration_email.enqueue(registration.pk, "confirmed", delivery_key="k1")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_email_is_tried_max_attempts_times_then_fails_for_good():
    registration = RegistrationFactory()
    with override_settings(LEARNING_TASK_MAX_ATTEMPTS=3, EMAIL_PORT=free_port(), **SMTP_DOWN):
        result = tasks.send_registration_email.enqueue(registration.pk, "confirmed")

    delivery = TaskDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (TaskDelivery.Status.FAILED, 3)
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.key == str(result.id)


@pytest.mark.django_db
def test_prune_task_deliveries_keeps_recent_and_unfinished_records():
    old = timezone.now() - timedelta(days=61)
    TaskDelivery.objects.create(key="old-done", status="done", finished_at=old)
    TaskDelivery.objects.create(key="old-failed", status="failed", finished_at=old)
    TaskDelivery.objects.create(key="recent", status="done", finished_at=timezone.now())
    TaskDelivery.objects.create(key="retrying", status="retrying", started_at=old)

    call_command("prune_task_deliveries", stdout=io.StringIO())

    assert set(TaskDelivery.objects.values_list("key", flat=True)) == {"recent", "retrying"}
