"""Admin forms for uploading and replacing H5P packages (the import runs in the service)."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from learning.models import H5PContent


class H5PContentUploadForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("H5P package"),
        help_text=_("An .h5p file exported from H5P.org, Lumi, Moodle or another H5P editor."),
        validators=[FileExtensionValidator(["h5p"])],
    )

    class Meta:
        model = H5PContent
        fields = ["title", "package"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the title given in the package.")


class H5PContentReplaceForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("Replace the package"),
        required=False,
        help_text=_(
            "Upload a new .h5p to create a new version. Learners' earlier attempts keep "
            "pointing at the version they were made on."
        ),
        validators=[FileExtensionValidator(["h5p"])],
    )

    class Meta:
        model = H5PContent
        fields = ["title", "package"]


class H5PApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and install")), ("reject", _("Reject"))],
    )
    note = forms.CharField(
        label=_("Note to the uploader"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; sent with a rejection, e.g. why or what to upload instead."),
    )
