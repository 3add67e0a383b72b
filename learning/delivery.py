"""Side-effect tasks (emails, forwarding) that are never lost and normally never repeated.

``@side_effect_task`` replaces ``@task`` on a task whose body does something outside
the database that must happen once: send an email. Each run is tied to a
``TaskDelivery`` row keyed by the queued task's id, so:

- a failure (the mail server down, a timeout) queues the task again with exponential
  backoff (``LEARNING_TASK_RETRY_DELAY`` doubled per attempt, at most one hour) until
  ``LEARNING_TASK_MAX_ATTEMPTS``; then the task fails for good and shows in the admin
  (Settings › Background tasks) where an administrator can run it again;
- a run of a task whose delivery is already done (a task recovered from a worker that
  died after its email went out and before it could record so, a retry queued twice,
  "Run again") does nothing;
- the guarantee is at least once: a worker killed after the mail server accepted the
  message and before the delivery was marked done (a window of one database write)
  sends it again when the task is recovered.

The key comes from the running task (the ``task_started`` signal of django-tasks), so
the same row answers for every attempt; retries carry it as ``delivery_key``. Called
directly (``task.call(...)``, outside any backend), the body runs as it is.
"""

import contextvars
import functools
import logging
from datetime import timedelta

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.signals import task_finished, task_started

from learning.conf import learning_settings

logger = logging.getLogger(__name__)

_running_task = contextvars.ContextVar("learning_running_task", default=None)
_current_delivery = contextvars.ContextVar("learning_current_delivery", default=None)


@receiver(task_started)
def _remember_running_task(sender, task_result, **kwargs):
    _running_task.set(task_result)


@receiver(task_finished)
def _forget_running_task(sender, task_result, **kwargs):
    _running_task.set(None)


def current_delivery():
    """The ``TaskDelivery`` of the side-effect task running now, or None."""
    return _current_delivery.get()


def retry_delay(attempt):
    """Seconds before attempt ``attempt + 1``: the base delay doubled per attempt made,
    capped at one hour."""
    base = learning_settings.LEARNING_TASK_RETRY_DELAY
    return timedelta(seconds=min(base * 2 ** (attempt - 1), 3600))


def side_effect_task(function=None, **task_options):
    """``@task`` for a task with a side effect; see the module docstring."""

    def decorate(function):
        path = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def run(*args, delivery_key=None, attempt=1, **kwargs):
            running = _running_task.get()
            key = delivery_key or (str(running.id) if running is not None else None)
            if key is None:
                return function(*args, **kwargs)
            retry = running.task if running is not None else import_string(path)
            return _deliver(retry, path, key, attempt, function, args, kwargs)

        return task(**task_options)(run)

    return decorate if function is None else decorate(function)


def _deliver(retry, path, key, attempt, function, args, kwargs):
    """Run ``function`` once for delivery ``key``; on failure queue ``retry`` (the same
    task, on the same backend and queue) or give up."""
    from learning.models import TaskDelivery

    delivery, _created = TaskDelivery.objects.get_or_create(key=key, defaults={"task_path": path})
    if delivery.status == TaskDelivery.Status.DONE:
        logger.info("Task %s (%s) was already delivered; not repeated", path, key)
        return None
    TaskDelivery.objects.filter(pk=delivery.pk).update(
        status=TaskDelivery.Status.STARTED, attempts=F("attempts") + 1
    )
    token = _current_delivery.set(delivery)
    try:
        result = function(*args, **kwargs)
    except Exception as error:
        max_attempts = learning_settings.LEARNING_TASK_MAX_ATTEMPTS
        summary = f"{type(error).__name__}: {error}"[:2000]
        if attempt >= max_attempts:
            TaskDelivery.objects.filter(pk=delivery.pk).update(
                status=TaskDelivery.Status.FAILED, finished_at=timezone.now(), last_error=summary
            )
            logger.error("Task %s (%s) failed %s times; giving up: %s", path, key, attempt, summary)
            raise
        delay = retry_delay(attempt)
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        TaskDelivery.objects.filter(pk=delivery.pk).update(
            status=TaskDelivery.Status.RETRYING, last_error=summary
        )
        logger.warning(
            "Task %s (%s) failed (attempt %s of %s): %s; retrying in %ss",
            path,
            key,
            attempt,
            max_attempts,
            summary,
            int(delay.total_seconds()),
        )
        retry.enqueue(*args, delivery_key=key, attempt=attempt + 1, **kwargs)
        return {"retrying": attempt + 1}
    finally:
        _current_delivery.reset(token)
    TaskDelivery.objects.filter(pk=delivery.pk).update(
        status=TaskDelivery.Status.DONE, finished_at=timezone.now(), last_error=""
    )
    return result
