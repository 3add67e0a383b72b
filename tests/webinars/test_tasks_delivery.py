"""Emails are never lost: real worker processes (``manage.py task_worker``) against the
test database, a real SMTP server on loopback that goes down, comes back, or is slow
enough for a worker to be killed while sending (learning.delivery, learning.task_queue)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from learning.factories import UserFactory
from learning.models import TaskDelivery
from tests.fixtures_smtp import TCPProxy
from webinars import tasks
from webinars.factories import RegistrationFactory, WebinarPageFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def start_worker(smtp_server):
    processes = []

    def start(**extra_env):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "WORKER_SMTP_PORT": str(smtp_server.port),
            **extra_env,
        }
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "task_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def wait_for(condition, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.1)


def enqueue_confirmation(registration):
    with override_settings(TASKS=DB_TASKS):
        return tasks.send_registration_email.enqueue(registration.pk, "confirmed")


def test_email_of_a_worker_killed_while_sending_is_sent_once_by_another(smtp_server, start_worker):
    registration = RegistrationFactory(user=UserFactory(email="ana@example.org"))
    smtp_server.start()
    smtp_server.hold()
    result = enqueue_confirmation(registration)

    first = start_worker()
    wait_for(smtp_server.receiving.is_set, what="the message to reach the server")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    smtp_server.let_go()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status in (TaskResultStatus.RUNNING, TaskResultStatus.READY)
    assert smtp_server.messages == []

    start_worker()
    wait_for(
        lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
        what="the recovered task to finish",
    )
    # A further housekeeping round of the running worker does not send it again.
    time.sleep(1.5)
    assert [message["to"] for message in smtp_server.messages] == [["ana@example.org"]]
    delivery = TaskDelivery.objects.get(key=str(result.id))
    assert (delivery.status, delivery.attempts) == (TaskDelivery.Status.DONE, 2)


def test_emails_queued_during_an_smtp_outage_are_sent_once_it_is_back(smtp_server, start_worker):
    webinar = WebinarPageFactory()
    registrations = [
        RegistrationFactory(webinar=webinar, user=UserFactory(email=f"p{n}@example.org"))
        for n in range(3)
    ]
    assert smtp_server.refuses()
    for registration in registrations:
        enqueue_confirmation(registration)
    start_worker()

    wait_for(
        lambda: TaskDelivery.objects.filter(status=TaskDelivery.Status.RETRYING).count() == 3,
        what="every email to fail once",
    )
    assert smtp_server.messages == []
    assert "ConnectionRefusedError" in TaskDelivery.objects.first().last_error

    smtp_server.start()
    wait_for(
        lambda: TaskDelivery.objects.filter(status=TaskDelivery.Status.DONE).count() == 3,
        what="every email to be delivered",
    )
    recipients = sorted(message["to"][0] for message in smtp_server.messages)
    assert recipients == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a database server to lose: PostgreSQL only"
)
def test_worker_outlives_a_database_outage(smtp_server, start_worker):
    host, port = connection.settings_dict["HOST"] or "127.0.0.1", connection.settings_dict["PORT"]
    proxy = TCPProxy((host, int(port or 5432)))
    proxy.start()
    user = connection.settings_dict["USER"]
    smtp_server.start()
    worker = start_worker(DATABASE_URL=f"postgres://{user}@127.0.0.1:{proxy.port}/postgres")
    try:
        before = RegistrationFactory(user=UserFactory(email="before@example.org"))
        enqueue_confirmation(before)
        wait_for(lambda: len(smtp_server.messages) == 1, what="the worker to work")

        proxy.stop()  # every connection of the worker dropped, new ones refused
        during = RegistrationFactory(user=UserFactory(email="during@example.org"))
        enqueue_confirmation(during)
        time.sleep(5)
        assert worker.poll() is None
        proxy.start()

        wait_for(lambda: len(smtp_server.messages) == 2, what="the worker to carry on")
    finally:
        proxy.stop()
    assert worker.poll() is None
    assert smtp_server.messages[1]["to"] == ["during@example.org"]
