from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Enrolment, Level, Topic
from learning.models import Region

DURATIONS = {
    # key: (label, minimum hours, maximum hours)
    "short": (_("Up to 2 hours"), 0, 2),
    "medium": (_("3 to 6 hours"), 3, 6),
    "long": (_("More than 6 hours"), 7, None),
}


def _choices(choices, empty):
    return [("", empty), *choices]


class RegionChoiceField(forms.ModelChoiceField):
    """Regions named in the reader's language."""

    def label_from_instance(self, obj):
        return obj.display_name


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
    region = RegionChoiceField(
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


class EnrolmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_choices(Enrolment.Status.choices, _("All")),
    )
    q = forms.CharField(label=_("Name or email"), required=False, max_length=200)

    def filter(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["q"]:
            term = self.cleaned_data["q"]
            queryset = queryset.filter(
                Q(user__email__icontains=term) | Q(user__profile__full_name__icontains=term)
            )
        return queryset


class DecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note to the learner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
