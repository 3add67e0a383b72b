import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learning.privacy.services import personal_data_json


class Command(BaseCommand):
    help = "Write a person's personal data as JSON to standard output, by email address."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email!r}.")
        sys.stdout.buffer.write(personal_data_json(user, by=None))
