from django.core.management.base import BaseCommand, CommandError

from learning.backup import BackupError, describe_target, restore, storage_aliases


class Command(BaseCommand):
    help = (
        "Replace the database and the storage files with those of an archive written by "
        "backup_site. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the database and the storage files are to be replaced.",
        )

    def handle(self, archive, yes, **options):
        try:
            vendor, name = describe_target()
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            raise CommandError(
                f"This replaces the {vendor} database {name} and the files of the storages "
                f"{', '.join(storage_aliases())} with those of {archive}. "
                "Run again with --yes to go ahead."
            )
        try:
            manifest = restore(archive)
        except (BackupError, OSError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(
            f"Restored the {vendor} database and {manifest['file_count']} files from "
            f"{archive} (backup of {manifest['created_at']})."
        )
