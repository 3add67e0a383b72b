"""The database task queue (django-tasks-db) seen by operators: tasks that failed for
good, tasks whose worker died (still RUNNING long after they started), putting either
back in the queue, and recovering the second kind automatically (``task_worker``).

Only for ``django_tasks_db.DatabaseBackend``; RQ has its own registries and dashboard.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from learning.conf import learning_settings

logger = logging.getLogger(__name__)


def uses_database_queue():
    return any("django_tasks_db" in backend["BACKEND"] for backend in settings.TASKS.values())


def _results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def stalled_tasks(now=None):
    """Tasks still RUNNING ``LEARNING_TASK_RUNNING_TIMEOUT`` seconds after they started:
    their worker was killed or lost the database while running them."""
    from django_tasks_db.models import TaskResultStatus

    cutoff = (now or timezone.now()) - timedelta(
        seconds=learning_settings.LEARNING_TASK_RUNNING_TIMEOUT
    )
    return _results().filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)


def failed_tasks():
    from django_tasks_db.models import TaskResultStatus

    return _results().filter(status=TaskResultStatus.FAILED)


def _requeue(queryset):
    from django_tasks_db.models import TaskResultStatus, get_date_max

    # The same row, hence the same task id: a side-effect task finds its delivery record
    # (learning.delivery) and does not repeat what an earlier run finished.
    return queryset.update(
        status=TaskResultStatus.READY,
        run_after=get_date_max(),
        finished_at=None,
        exception_class_path="",
        traceback="",
    )


def recover_stalled_tasks():
    """Put the tasks of dead workers back in the queue; returns how many."""
    count = _requeue(stalled_tasks())
    if count:
        logger.warning("Recovered %s task(s) left running by a worker that stopped", count)
    return count


def run_again(task_id):
    """Queue a failed or stalled task again (the admin's "Run again"); returns whether
    there was such a task."""
    from django.db.models import Q
    from django_tasks_db.models import TaskResultStatus

    stalled = stalled_tasks().values("pk")
    queryset = (
        _results().filter(pk=task_id).filter(Q(status=TaskResultStatus.FAILED) | Q(pk__in=stalled))
    )
    return _requeue(queryset) == 1


def queue_figures(now=None):
    """Tasks due and not started (the backlog) and the age of the oldest, in seconds;
    tasks running and how long the oldest has run; stalled and failed tasks. Counts and
    ages only (the health endpoint publishes them)."""
    from django.db.models import Case, Count, F, Min, Q, When
    from django_tasks_db.models import TaskResultStatus, get_date_max

    now = now or timezone.now()
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default="run_after")
    ready = _results().ready().aggregate(count=Count("id"), oldest=Min(due_since))
    running = Q(status=TaskResultStatus.RUNNING)
    cutoff = now - timedelta(seconds=learning_settings.LEARNING_TASK_RUNNING_TIMEOUT)
    states = _results().aggregate(
        running=Count("id", filter=running),
        oldest_running=Min("started_at", filter=running),
        stalled=Count("id", filter=running & Q(started_at__lt=cutoff)),
        failed=Count("id", filter=Q(status=TaskResultStatus.FAILED)),
    )

    def age(moment):
        return max(0, round((now - moment).total_seconds())) if moment else 0

    return {
        "backlog": ready["count"],
        "oldest_due_seconds": age(ready["oldest"]),
        "running": states["running"],
        "oldest_running_seconds": age(states["oldest_running"]),
        "stalled": states["stalled"],
        "failed": states["failed"],
    }
