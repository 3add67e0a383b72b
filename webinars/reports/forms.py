from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from learning.reports.filters import DateRangeForm
from learning.translations import canonical_only
from webinars.services import managed_series


class WebinarReportForm(DateRangeForm):
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=None, required=False, empty_label=_("All series")
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = canonical_only(managed_series(user)).order_by("title")
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None
