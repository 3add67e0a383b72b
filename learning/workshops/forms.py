"""Forms of the workshop pages and of the trainer page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import Region, WorkshopMaterial
from learning.models.workshops import language_choices
from learning.workshops.file_types import allowed_extensions, validate_material_file


def _blank(label):
    return [("", label)]


class MaterialFilterForm(forms.Form):
    """Narrow a workshop's materials by language, kind and topic (GET, works without JS)."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _blank(_("Any language")) + language_choices()
        self.fields["kind"].choices = _blank(_("Any kind")) + list(WorkshopMaterial.Kind.choices)
        self.fields["topic"].choices = _blank(_("Any topic")) + [
            (tag.slug, tag.name) for tag in topics
        ]


class MaterialSearchForm(MaterialFilterForm):
    """Search all workshops' materials by words, region, language, kind and topic."""

    q = forms.CharField(label=_("Search materials"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any region"),
    )

    field_order = ["q", "region", "language", "kind", "topic"]

    def __init__(self, *args, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if languages is not None:
            self.fields["language"].choices = _blank(_("Any language")) + search_language_choices(
                languages
            )

    def has_criteria(self):
        return any(self.cleaned_data.get(name) for name in self.fields)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field. Each file is checked on its own by the service, so that
    each gets its own answer instead of one error refusing them all."""

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


def search_language_choices(in_use):
    """The platform's languages first, then only the other languages that materials
    actually have (``in_use``: their codes), by name: not all of Django's hundred."""
    from django.conf import settings

    platform = [code for code, _name in settings.LANGUAGES]
    names = dict(language_choices())
    others = sorted(
        ((code, names.get(code, code)) for code in set(in_use) if code and code not in platform),
        key=lambda choice: str(choice[1]),
    )
    return [(code, _(name)) for code, name in settings.LANGUAGES] + others


def upload_language_choices():
    """The platform's languages first; every other language in one group below them."""
    from django.conf import settings

    platform = {code for code, _name in settings.LANGUAGES}
    return [
        *((code, _(name)) for code, name in settings.LANGUAGES),
        (
            _("Other languages"),
            [(code, name) for code, name in language_choices() if code not in platform],
        ),
    ]


class MaterialUploadForm(forms.Form):
    """One or more files. Kind and title are guessed per file (kind from the file type,
    title from the name: "flipchart_group3.jpg" -> "Flipchart group 3") unless given; with
    JavaScript the page sends each file on its own with the values the trainer checked."""

    files = MultipleFileField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in allowed_extensions())}),
        help_text=_("Choose one or more files."),
        required=False,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("For a single file; leave empty to use the file name."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=_blank(_("Guess from each file (photo, slides, recording…)"))
        + list(WorkshopMaterial.Kind.choices),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=upload_language_choices, initial="en")
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=WorkshopMaterial.Visibility.choices,
        initial=WorkshopMaterial.Visibility.PARTICIPANTS,
        help_text=_("Photos of participants: keep them to workshop participants or trainers."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=WorkshopMaterial.Licence.choices,
        initial=WorkshopMaterial.Licence.CC_BY,
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. knowledge sharing, synergies."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MaterialEditForm(forms.ModelForm):
    """Change a material's description; a new file here replaces the current one."""

    topics_text = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. knowledge sharing, synergies."),
    )
    replacement = forms.FileField(
        label=_("Replace the file"),
        required=False,
        help_text=_("Optional. The current file stays available to trainers as a version."),
    )

    class Meta:
        model = WorkshopMaterial
        fields = ["title", "kind", "language", "visibility", "licence", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["topics_text"].initial = ", ".join(
                tag.name for tag in self.instance.topics.all()
            )

    def clean_replacement(self):
        # Checked before anything is saved, so a refused file leaves the material untouched.
        replacement = self.cleaned_data.get("replacement")
        if replacement:
            validate_material_file(replacement)
        return replacement


class ParticipantsForm(forms.Form):
    """Add participants by typing addresses or uploading a CSV file (or both)."""

    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, or separated by commas."),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("A column headed “email”, or the addresses in the first column."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("emails", "").strip() and not cleaned.get("csv_file"):
            raise forms.ValidationError(_("Type some email addresses or choose a CSV file."))
        return cleaned

    def typed_emails(self):
        text = self.cleaned_data.get("emails", "")
        return text.replace(",", "\n").replace(";", "\n").split()
