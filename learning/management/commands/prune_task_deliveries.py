"""Delete the delivery records (``learning.delivery``) of tasks finished long ago.

A record must outlive its task's result (``prune_db_task_results``), or a task could be
run again from the admin after its record is gone; its last error may quote a mail
server's answer naming the recipient, so it is not kept for ever either.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning.models import TaskDelivery


class Command(BaseCommand):
    help = "Delete the delivery records of tasks finished more than --min-age-days ago"

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=60)

    def handle(self, *, min_age_days, **options):
        cutoff = timezone.now() - timedelta(days=min_age_days)
        deleted, _by_model = TaskDelivery.objects.filter(
            status__in=[TaskDelivery.Status.DONE, TaskDelivery.Status.FAILED],
            finished_at__lt=cutoff,
        ).delete()
        self.stdout.write(f"Deleted {deleted} delivery record(s).")
