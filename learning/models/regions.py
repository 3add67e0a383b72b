from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Region(models.Model):
    """A training region; its countries let registrations and learners be summarised by region."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the reader's language: the regions seeded by the migrations are
        translated in the catalogue (``SEEDED_REGION_NAMES``); a region an administrator
        added or renamed shows its name as typed."""
        return gettext(self.name)


# The names that migration 0002 seeds, for makemessages.
SEEDED_REGION_NAMES = (
    gettext_noop("Africa"),
    gettext_noop("Asia and the Pacific"),
    gettext_noop("Latin America and the Caribbean"),
    gettext_noop("Central and Eastern Europe"),
)


class TrainerAssignment(models.Model):
    """Grants a trainer the right to maintain workshop materials of one region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trainer_assignments",
        verbose_name=_("trainer"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="trainer_assignments",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trainer assignment")
        verbose_name_plural = _("trainer assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="unique_trainer_region"),
        ]

    def __str__(self):
        return f"{self.user} – {self.region}"
