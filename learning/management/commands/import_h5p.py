from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from learning.h5p.errors import H5PValidationError
from learning.h5p.services import import_h5p

INVALID_PACKAGE = 2


class Command(BaseCommand):
    help = (
        "Import an .h5p package as new H5P content, validating it completely first. "
        "Prints the new content's id. Exits with status 2, writing nothing, if the package "
        "is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path of the .h5p file.")
        parser.add_argument("--title", help="Title of the content (default: h5p.json's).")
        parser.add_argument(
            "--allow-libraries",
            action="store_true",
            help="Install or upgrade the libraries the package brings (trusted packages only).",
        )

    def handle(self, *args, path, title=None, allow_libraries=False, **options):
        try:
            package = open(path, "rb")  # noqa: SIM115 - closed below, also on errors
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=1) from exc
        with package:
            try:
                version = import_h5p(
                    File(package), user=None, title=title, allow_libraries=allow_libraries
                )
            except H5PValidationError as exc:
                # One line for the operator; every problem is on it.
                raise CommandError(
                    f"Invalid H5P package {path}: {exc}", returncode=INVALID_PACKAGE
                ) from exc
        self.stdout.write(str(version.content_id))
