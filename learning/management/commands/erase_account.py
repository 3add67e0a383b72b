from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learning.privacy.services import erase_account


class Command(BaseCommand):
    help = "Erase a person's account and personal data (on their request), by email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, email, yes=False, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email!r}.")
        if not yes and input(f"Erase the account of {user.email}? Type yes: ") != "yes":
            raise CommandError("Nothing erased.")
        erase_account(user, by=None)
        self.stdout.write(f"Erased account #{user.pk}.")
