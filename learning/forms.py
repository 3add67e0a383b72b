from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from learning import services
from learning.models import Profile
from learning.models.accounts import time_zone_choices
from learning.timezones import grouped_time_zone_choices


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should appear on your certificates, in any script."),
    )
    # Choices listed per form (below), in the active language and its alphabetical order.
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "—")], required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="en"
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[("", _("Detect from my browser")), *time_zone_choices()],
        required=False,
        help_text=_(
            "Grouped by region, with today's offset from UTC. Type a city's name to jump to it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names in the reader's language (iterating ``countries`` translates them).
        self.fields["country"].choices = [("", "—"), *countries]
        # Grouped by region with offsets; the person's zone (saved, or the one their browser
        # reported, which the site has activated) first.
        first = self.initial.get("time_zone") or timezone.get_current_timezone_name()
        self.fields["time_zone"].choices = [
            ("", _("Detect from my browser")),
            *grouped_time_zone_choices(first),
        ]


class SignupProfileForm(ProfileFieldsMixin):
    """Extra sign-up fields for allauth (ACCOUNT_SIGNUP_FORM_CLASS)."""

    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being used as it says."),
        error_messages={"required": _("Please accept the privacy notice to create an account.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("learning:privacy_notice"),
            _("Read the privacy notice (opens in a new tab)"),
        )
        # The language the visitor is reading the site in (browser or switcher) is the
        # best default; the time zone is pre-filled by static/js/site.js from the browser.
        self.fields["preferred_language"].initial = translation.get_language()

    def signup(self, request, user):
        services.save_profile(
            user,
            full_name=self.cleaned_data["full_name"],
            country=self.cleaned_data["country"],
            preferred_language=self.cleaned_data["preferred_language"],
            time_zone=self.cleaned_data["time_zone"],
        )
        from learning.privacy.services import record_consent

        record_consent(user)


class ProfileForm(ProfileFieldsMixin):
    @classmethod
    def initial_for(cls, user):
        profile = Profile.objects.filter(user=user).first()
        if profile is None:
            return {"full_name": user.get_full_name()}
        return {
            "full_name": profile.full_name,
            "country": profile.country.code or "",
            "preferred_language": profile.preferred_language,
            "time_zone": profile.time_zone,
        }
