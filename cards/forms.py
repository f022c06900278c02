from django import forms
from django.utils.translation import gettext_lazy as _


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A portrait like the one on the paper card: face to the camera, plain background."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "user"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)
