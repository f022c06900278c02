"""Form pieces every app's pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and expects ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def reason_field(*, required: bool) -> forms.CharField:
    """The reason every change is asked for; services write it to the change log."""
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the change log, e.g. the number of the decision."),
    )
