from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_countries.fields import CountryField

# settings.LANGUAGES names zh-hans "Chinese", which Django's own catalogue does not translate
# (it has "Simplified Chinese"): listed here so that makemessages extracts it.
LANGUAGE_NAMES = (gettext_noop("Chinese"),)


def time_zone_choices():
    from learning.timezones import selectable_zone_names

    return [(name, name.replace("_", " ")) for name in selectable_zone_names()]


class Profile(models.Model):
    """What a learner tells us about themselves: the name printed on certificates,
    the country used in regional reports, the language and time zone we write to them in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As it should appear on your certificates, in any script."),
    )
    country = CountryField(_("country"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are shown to you in this zone. Empty: detected by your browser."),
    )
    privacy_notice_version = models.CharField(
        _("privacy notice accepted"), max_length=20, blank=True
    )
    privacy_consented_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.full_name or self.user.get_username()
