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
from django.http import JsonResponse
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
    """The database queue's backlog, running, stalled and failed tasks
    (``learning.task_queue``); other backends have their own monitoring."""
    from django.conf import settings

    from learning import task_queue

    if not task_queue.uses_database_queue():
        return {"backend": settings.TASKS["default"]["BACKEND"]}
    return task_queue.queue_figures()


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
