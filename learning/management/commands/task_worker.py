"""``manage.py task_worker``: django-tasks-db's ``db_worker`` that survives its faults.

- A database outage (a PostgreSQL restart, a failover, a network blip) no longer ends
  the process: the worker closes its connections, waits (1, 2, 4 ... 10 s) and carries on.
- Tasks left RUNNING by a worker that was killed are put back in the queue once
  ``LEARNING_TASK_RUNNING_TIMEOUT`` has passed (``learning.task_queue``), checked by a
  housekeeping thread a few times per timeout.

Same options as ``db_worker`` except ``--reload`` (use ``db_worker --reload`` while
developing). Run it under a supervisor that restarts it (systemd ``Restart=always``).
"""

import logging
import threading
import time

from django.core.management.base import CommandError
from django.db import (
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from learning.conf import learning_settings
from learning.task_queue import recover_stalled_tasks

logger = logging.getLogger("learning.task_worker")

MAX_PAUSE = 10


class ResilientWorker(Worker):
    def run(self):
        self._start_housekeeping()
        pause = 1
        while self.running:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning("Database unavailable (%s); retrying in %ss", error, pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)

    def _start_housekeeping(self):
        period = max(1.0, min(learning_settings.LEARNING_TASK_RUNNING_TIMEOUT / 3, 60))

        def housekeeping():
            while self.running:
                try:
                    recover_stalled_tasks()
                except (OperationalError, InterfaceError) as error:
                    logger.warning("Could not check for stalled tasks: %s", error)
                finally:
                    connection.close()
                time.sleep(period)

        threading.Thread(target=housekeeping, name="task-housekeeping", daemon=True).start()


class Command(DBWorkerCommand):
    help = "Run a database task worker that outlives database outages and dead workers"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        worker.configure_signals()
        worker.run()
