from django import forms
from django.utils.translation import gettext_lazy as _

from orgunits.forms import UnitPickerField

from .choices import Topic


class EntryForm(forms.Form):
    unit = UnitPickerField(label=_("Written by (committee)"))
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("In short"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    steps = forms.CharField(label=_("Steps, one per line"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    forms_needed = forms.CharField(
        label=_("Forms and papers, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args, units, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if editing:  # an entry stays with the committee that wrote it
            del self.fields["unit"]
