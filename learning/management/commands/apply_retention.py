from django.core.management.base import BaseCommand

from learning.privacy.services import apply_retention, retention_days


class Command(BaseCommand):
    help = (
        "Delete registration answers and attendance details of events that ended more than "
        "LEARNING_RETENTION_DAYS days ago (run it daily)."
    )

    def handle(self, *args, **options):
        changed = apply_retention()
        total = sum(changed.values())
        self.stdout.write(
            f"Retention ({retention_days()} days): {total} rows cleared "
            + ", ".join(f"{key}: {count}" for key, count in changed.items())
        )
