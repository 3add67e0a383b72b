from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    label = "webinars"
    verbose_name = _("Webinars")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the signal receivers, registers the certificate rules and the join link's
        # place in pages kept for their viewer (``join_url``).
        from webinars import certificates, signals  # noqa: F401
        from webinars.templatetags import webinars_tags  # noqa: F401
