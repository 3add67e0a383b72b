from django.core.management.base import BaseCommand, CommandError

from learning.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive holding the database and every file of the private "
        "and media storages, with a manifest (time, database vendor, sha256 per file)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            help="The archive's path, or an existing directory to write it into.",
        )

    def handle(self, destination, **options):
        try:
            path, manifest = backup(destination)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed, no archive written: {error}") from error
        self.stdout.write(
            f"Wrote {path}: {manifest['database']['vendor']} database and "
            f"{manifest['file_count']} files."
        )
