from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from learning.sanitise import sanitise_html
from webinars.attendance import platform_choices
from webinars.models import Registration, RegistrationQuestion
from webinars.services import registrant_name


class RegistrationForm(forms.Form):
    """The webinar's own questions; answers are keyed by question (see ``answers``).
    Required questions say so in their label; after a failed submit the first question in
    error takes the focus (``autofocus``: no JavaScript needed)."""

    required_css_class = "required"

    def __init__(self, *args, webinar, **kwargs):
        super().__init__(*args, **kwargs)
        self.webinar = webinar
        self.questions = list(webinar.questions.all())
        for question in self.questions:
            common = {
                "label": question.label,
                "required": question.required,
                "help_text": sanitise_html(question.help_text),
            }
            choices = [(choice, choice) for choice in question.choice_list]
            if question.kind == RegistrationQuestion.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            elif question.kind == RegistrationQuestion.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            if question.required:
                field.label = format_html(
                    '{} <span class="required-marker">({})</span>', question.label, _("required")
                )
            self.fields[question.key] = field

    def full_clean(self):
        super().full_clean()
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            self.fields[first].widget.attrs["autofocus"] = True

    def answers(self):
        return {key: value for key, value in self.cleaned_data.items() if value}


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))
    statuses = forms.MultipleChoiceField(
        label=_("Send to"),
        choices=[
            (Registration.Status.CONFIRMED, _("Confirmed")),
            (Registration.Status.WAITLISTED, _("Waitlisted")),
            (Registration.Status.PENDING, _("Pending approval")),
        ],
        initial=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
        widget=forms.CheckboxSelectMultiple,
    )


class AttendanceImportForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=platform_choices)
    report = forms.FileField(
        label=_("Attendance report (CSV)"),
        help_text=_("The participants report exported from the platform."),
    )


class MatchRecordForm(forms.Form):
    registration = forms.ModelChoiceField(
        label=_("Registrant"), queryset=Registration.objects.none()
    )

    def __init__(self, *args, webinar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = (
            Registration.objects.filter(webinar=webinar)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("user")
            .select_related("user__profile")
            .order_by("user__profile__full_name", "user__email")
        )
        self.fields["registration"].label_from_instance = _name_and_email


def _name_and_email(registration):
    name = registrant_name(registration)
    return f"{name} <{registration.user.email}>" if name else registration.user.email


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(Registration.Status.choices),
    )
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)
    attended = forms.ChoiceField(
        label=_("Attended"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No")), ("unknown", _("Unknown"))],
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"].upper())
        if data["attended"] == "yes":
            queryset = queryset.filter(attended=True)
        elif data["attended"] == "no":
            queryset = queryset.filter(attended=False)
        elif data["attended"] == "unknown":
            queryset = queryset.filter(attended__isnull=True)
        return queryset
