"""RQ on Redis as the task queue (``TASK_BACKEND=rq``): the same emails, deferred
reminders and retries, run by a real ``rqworker`` with its scheduler against a Redis
server of this test run. Skipped where django-tasks-rq is not installed."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from config.settings.rq import rq_tasks
from learning.factories import UserFactory
from learning.models import TaskDelivery
from tests.webinars.test_tasks_delivery import wait_for
from webinars import tasks
from webinars.factories import RegistrationFactory, WebinarPageFactory

pytest.importorskip("django_tasks_rq")

pytestmark = pytest.mark.django_db(transaction=True)

# As the README says: the scheduler for deferred tasks, the job class of django-tasks.
WORKER_OPTIONS = ["--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"]


@pytest.fixture
def rq(redis_url, smtp_server):
    """Settings to enqueue on RQ, and a function starting an ``rqworker``."""
    url = redis_url.rsplit("/", 1)[0] + "/3"
    tasks_setting, queues = rq_tasks(url)
    processes = []

    def start_worker():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "WORKER_SMTP_PORT": str(smtp_server.port),
            "WORKER_RQ_REDIS_URL": url,
        }
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "rqworker", "default", *WORKER_OPTIONS],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)

    # The worker has the django_rq app (its rqworker command); queueing needs only these.
    with override_settings(TASKS=tasks_setting, RQ_QUEUES=queues):
        yield start_worker
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def test_rq_sends_an_email_retries_through_an_smtp_outage_and_runs_deferred_reminders(
    rq, smtp_server
):
    start = timezone.now() + timedelta(days=2)
    webinar = WebinarPageFactory(start=start, end=start + timedelta(hours=1))
    registration = RegistrationFactory(webinar=webinar, user=UserFactory(email="ana@example.org"))
    rq()
    # The mail server is down: the confirmation fails and is retried later.
    tasks.send_registration_email.enqueue(registration.pk, "confirmed")
    wait_for(
        lambda: TaskDelivery.objects.filter(status=TaskDelivery.Status.RETRYING).exists(),
        timeout=60,
        what="the first attempt to fail",
    )
    smtp_server.start()
    wait_for(lambda: len(smtp_server.messages) == 1, timeout=60, what="the retry to send")

    # A reminder deferred by two seconds waits, then runs once.
    tasks.send_reminder.using(run_after=timezone.now() + timedelta(seconds=2)).enqueue(
        registration.pk, "24h", webinar.sequence
    )
    assert len(smtp_server.messages) == 1
    wait_for(lambda: len(smtp_server.messages) == 2, timeout=60, what="the deferred reminder")
    assert [message["to"] for message in smtp_server.messages] == [["ana@example.org"]] * 2
    registration.refresh_from_db()
    assert registration.reminder_24h_sent_at is not None
