from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from common.forms import reason_field

from .choices import CivicRoleKind, RoleKind


class SignInForm(AuthenticationForm):
    """One box for any identifier: the backend resolves a phone number, a citizen ID or a username."""

    username = forms.CharField(
        label=_("Phone number, citizen ID or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The identifier or the password is not right. The password is case-sensitive."),
    }


class SecondStepForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "autocapitalize": "none"}),
    )


def _pin_input() -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={"inputmode": "numeric", "pattern": "[0-9]{6}", "maxlength": 6, "autocomplete": "off", "class": "pin"}
    )


class DevicePinForm(forms.Form):
    pin = forms.CharField(label=_("PIN (6 digits)"), max_length=6, widget=_pin_input())
    pin_again = forms.CharField(label=_("The same PIN again"), max_length=6, widget=_pin_input())


class PinSignInForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    pin = forms.CharField(label=_("PIN"), max_length=6, widget=_pin_input())


class OfficerCreateForm(forms.Form):
    """One officer without a file: the same columns as a row of the officers' file, checked by the same service."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    unit = forms.CharField(
        label=_("Unit code"),
        max_length=64,
        help_text=_("The unit the role is granted on; it covers the units under it."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[(value, label) for value, label in RoleKind.choices if value != RoleKind.MEMBER]
    )
    reason = reason_field(required=True)


class CivicRoleForm(forms.Form):
    """A role outside the party tree, given to an account (or to a new one, when the username is new)."""

    kind = forms.ChoiceField(label=_("Role"), choices=CivicRoleKind.choices)
    place = forms.CharField(
        label=_("Where (code)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "civic-places", "autocapitalize": "none"}),
        help_text=_(
            "The code of the village or residential group (for its head), or of the People's Committee, its office "
            "or the organisation."
        ),
    )
    username = forms.CharField(
        label=_("Username or phone"), max_length=150, widget=forms.TextInput(attrs={"autocapitalize": "none"})
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=300, required=False, help_text=_("Only for a new account.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, help_text=_("Only for a new account."))
    reason = reason_field(required=False)
