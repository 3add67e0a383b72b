from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Level, Topic
from learning.models import Region

DURATIONS = {
    # key: (label, minimum hours, maximum hours)
    "short": (_("Up to 2 hours"), 0, 2),
    "medium": (_("3 to 6 hours"), 3, 6),
    "long": (_("More than 6 hours"), 7, None),
}


def _choices(choices, empty):
    return [("", empty), *choices]


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (GET, so results can be bookmarked)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=_choices(Topic.choices, _("All topics"))
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_choices(settings.LANGUAGES, _("All languages")),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_choices(Level.choices, _("All levels"))
    )
    duration = forms.ChoiceField(
        label=_("Duration"),
        required=False,
        choices=_choices([(key, value[0]) for key, value in DURATIONS.items()], _("Any")),
    )
    region = forms.ModelChoiceField(
        label=_("Relevant to region"),
        required=False,
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
    )

    def filter(self, queryset):
        """Apply the valid filters to a CoursePage queryset."""
        data = self.cleaned_data
        for name in ("topic", "language", "level"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("duration"):
            _label, low, high = DURATIONS[data["duration"]]
            queryset = queryset.filter(effort_hours__gte=low)
            if high is not None:
                queryset = queryset.filter(effort_hours__lte=high)
        if data.get("region"):
            queryset = queryset.filter(Q(regions=data["region"]) | Q(regions__isnull=True))
        if data.get("q"):
            matches = [page.pk for page in queryset.model.objects.live().search(data["q"])]
            queryset = queryset.filter(pk__in=matches)
        return queryset.distinct()
