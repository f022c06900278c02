from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _


class ActivationCodeForm(forms.Form):
    identifier = forms.CharField(
        label=_("Party card number, phone number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Activation code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


class ChoosePasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class SmsCheckForm(forms.Form):
    card_number = forms.CharField(label=_("Party card number"), max_length=8)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label=_("Phone number on your record"), max_length=15)
