"""The code fields of the second-factor pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: from the authenticator app (6 digits) or a recovery code."""

    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=32,
        error_messages={
            "required": _("Saisissez le code."),
            "max_length": _("Ce code est trop long."),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class RecoveryCodeForm(CodeForm):
    """A recovery code, typed from the sheet kept aside."""

    code = forms.CharField(
        label=_("Code de secours"),
        max_length=32,
        error_messages=CodeForm.base_fields["code"].error_messages,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )
