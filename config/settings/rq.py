"""Background tasks on RQ (Redis Queue) through django-tasks-rq, instead of the database
queue: for deployments with many workers, which then wait on Redis instead of polling the
database. Workers: ``manage.py rqworker default --with-scheduler`` (the scheduler moves
deferred tasks, reminders and retries, into the queue when they are due)."""


def rq_tasks(redis_url, *, timeout=600):
    """``TASKS`` and ``RQ_QUEUES`` for one queue, ``default``, on ``redis_url`` (use a
    database number or a Redis of its own: jobs must not be evicted like cache entries)."""
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queues = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": timeout}}
    return tasks, queues
