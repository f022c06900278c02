from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RoleKind
from common.fields import LONG_TEXT_MAX_LENGTH
from orgunits.forms import UnitPickerField


class NoticeForm(forms.Form):
    """A new notice. The unit's choices are narrowed to the units the user may issue notices for."""

    unit = UnitPickerField(label=_("Issued by"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(max_length=LONG_TEXT_MAX_LENGTH, label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    roles = forms.MultipleChoiceField(
        label=_("Only for these roles"),
        choices=[(value, label) for value, label in RoleKind.choices if value != RoleKind.MEMBER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to send it to everyone in the unit and the units below it."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Leave empty to publish now."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # The highest unit first (ordered by path): usually the one the user leads.
        self.fields["unit"].initial = units.first()


class NewsForm(forms.Form):
    """A new news item: for everyone in the unit's subtree, with a summary and a picture."""

    unit = UnitPickerField(label=_("Issued by"))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences, shown in the list and on the home page."),
    )
    body = forms.CharField(max_length=LONG_TEXT_MAX_LENGTH, label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, up to 2 MB."),
    )
    publish_at = NoticeForm.base_fields["publish_at"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].initial = units.first()
