from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from courses.permissions import editable_courses
from learning.reports.filters import DateRangeForm
from learning.translations import canonical_only


class CourseReportForm(DateRangeForm):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False, empty_label=_("All courses")
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the viewer's courses can be chosen: another course is a form error.
        self.fields["course"].queryset = canonical_only(editable_courses(user)).order_by("title")
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None
