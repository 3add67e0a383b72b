from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    label = "webinars"
    verbose_name = _("Webinars")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the signal receivers and registers the certificate rules.
        from webinars import certificates, signals  # noqa: F401
