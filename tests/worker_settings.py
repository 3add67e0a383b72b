"""Settings of the worker processes that task tests start (``manage.py task_worker``):
the test settings on the test run's database, the database task queue, and mail to the
test's SMTP server; the test passes both through the environment."""

import os

from config.settings.rq import rq_tasks
from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, INSTALLED_APPS

DATABASES["default"]["NAME"] = os.environ["WORKER_DATABASE_NAME"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if os.environ.get("WORKER_RQ_REDIS_URL"):
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    TASKS, RQ_QUEUES = rq_tasks(os.environ["WORKER_RQ_REDIS_URL"])
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["WORKER_SMTP_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 5
LEARNING_TASK_RETRY_DELAY = 1
LEARNING_TASK_RUNNING_TIMEOUT = int(os.environ.get("WORKER_RUNNING_TIMEOUT", "3"))
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
