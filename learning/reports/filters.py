"""The date range of a report, read as whole days in the viewer's time zone."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _


class DateRangeForm(forms.Form):
    """``date_from`` and ``date_to`` (both included) as days in ``zone``; ``bounds()``
    gives the UTC instants ``[start, end)`` to filter stored times with."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def bounds(self):
        if not self.is_valid():
            return None, None
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            datetime.combine(start, time.min, self.zone) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, self.zone) if end else None,
        )
