from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    label = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the system checks, the <id:...> URL converter and the receivers.
        from learning import (
            converters,  # noqa: F401
            delivery,  # noqa: F401
            receivers,  # noqa: F401
        )
        from learning.certificates import checks as certificate_checks  # noqa: F401
        from learning.h5p import checks  # noqa: F401
        from learning.h5p import receivers as h5p_receivers  # noqa: F401
        from learning.workshops import receivers as workshop_receivers  # noqa: F401
