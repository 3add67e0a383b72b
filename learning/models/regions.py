from django.conf import settings
from django.db import models
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
