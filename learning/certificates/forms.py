from django import forms
from django.utils.translation import gettext_lazy as _

from learning.certificates.verification import normalise_code


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=64,
        help_text=_("Printed on the certificate, e.g. ABCDE-FGHJK-LMNPQ-RSTUV."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "A certificate code has 20 letters and digits in four groups of five, "
                    "e.g. ABCDE-FGHJK-LMNPQ-RSTUV. Check what you typed."
                )
            )
        return code
