"""``GET /healthz``: is this app server able to serve, for load balancers and monitoring.

Cheap enough to poll every few seconds (one query per check, no page rendering), and
anonymous, so it carries no personal data: only states, counts and ages in seconds.

The answer is 503 only when the database does not answer (nothing works without it). A
cache or storage failure is reported (``"status": "degraded"``) with 200: the site
serves without the cache, and taking every app server out of the load balancer because
Redis or the object store is down would turn a partial outage into a full one.
"""

import time

from django.db import connection
from django.db.models import Case, Count, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from learning.storage import private_storage

PROBE_NAME = "healthz-probe"


def _timed(check):
    start = time.monotonic()
    try:
        result = check()
    except Exception as error:  # noqa: BLE001 - a health check reports every failure
        return {"ok": False, "error": type(error).__name__}
    result = {"ok": True, **(result or {})}
    result["ms"] = round((time.monotonic() - start) * 1000, 1)
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)
    if ping is not None:
        if not ping():
            raise ConnectionError("no answer")
        return None
    cache.set(PROBE_NAME, 1, 10)
    if cache.get(PROBE_NAME) != 1:
        raise ConnectionError("value not kept")
    return None


def _storage():
    private_storage().exists(PROBE_NAME)


def _tasks():
    """Tasks due and not started (the backlog) and the age of the oldest, in seconds;
    tasks running and how long the oldest has run (a stuck worker shows here). Only for
    the database queue (``django_tasks_db``); other backends have their own monitoring."""
    from django.conf import settings

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return {"backend": settings.TASKS["default"]["BACKEND"]}
    from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

    now = timezone.now()
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default="run_after")
    ready = DBTaskResult.objects.ready().aggregate(count=Count("id"), oldest=Min(due_since))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).aggregate(
        count=Count("id"), oldest=Min("started_at")
    )

    def age(moment):
        return max(0, round((now - moment).total_seconds())) if moment else 0

    return {
        "backlog": ready["count"],
        "oldest_due_seconds": age(ready["oldest"]),
        "running": running["count"],
        "oldest_running_seconds": age(running["oldest"]),
    }


@require_safe
@never_cache
def healthz(request):
    checks = {"database": _timed(_database)}
    if not checks["database"]["ok"]:
        return JsonResponse({"status": "down", "checks": checks}, status=503)
    checks["cache"] = _timed(_cache)
    checks["storage"] = _timed(_storage)
    checks["tasks"] = _timed(_tasks)
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks})
