from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks

DEMO_EXTRA_MISSING = (
    "load_demo_data needs factory_boy, which the plugin installs only with its demo extra: "
    "pip install 'wagtail-capacity-building[demo]'"
)


class Command(BaseCommand):
    help = (
        "Build the demo site: home page, demo users of every role, and the demo content "
        "of every installed app. Idempotent; refuses to run with DEBUG=False unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG=False (creates users with a published demo password).",
        )

    def handle(self, *args, force=False, **options):
        try:
            from learning import demo  # the demo builders import factory_boy
        except ModuleNotFoundError as error:
            if error.name != "factory":
                raise
            raise CommandError(DEMO_EXTRA_MISSING) from error
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG=False: it creates accounts with a "
                "published password. Use --force if you really mean it."
            )
        with transaction.atomic():
            context = demo.DemoContext(home_page=demo.build_home_page(), users=demo.build_users())
            for builder in hooks.get_hooks("learning_demo_data"):
                builder(context)
        for message in context.messages:
            self.stdout.write(message)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
        for email, _name, groups, is_superuser in demo.DEMO_USERS.values():
            role = "superuser" if is_superuser else ", ".join(groups)
            self.stdout.write(f"  {email:32} {demo.demo_password():16} {role}")
