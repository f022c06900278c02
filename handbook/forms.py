from django import forms
from django.utils.translation import gettext_lazy as _


class DisplayPreferenceForm(forms.Form):
    is_large_text = forms.BooleanField(label=_("Large text"), required=False)
    is_high_contrast = forms.BooleanField(label=_("High contrast"), required=False)
