import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from orgunits.forms import UnitPickerField


class RegistrationForm(forms.Form):
    residential_unit = UnitPickerField(label=_("Cell of the village or residential group where the member lives"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residential_unit"].queryset = cells


class RefusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    keeps_contact = forms.BooleanField(
        label=_("keeps in touch with the cell and the people where they live"), required=False
    )
    sets_example = forms.BooleanField(
        label=_("sets an example in following the policies, the law and local rules, with their family"),
        required=False,
    )
    takes_part = forms.BooleanField(
        label=_("takes part in the activities of the place where they live"), required=False
    )
    remarks = forms.CharField(
        label=_("remarks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def for_today(cls, day: datetime.date):
        return cls(initial={"year": day.year, "keeps_contact": True, "sets_example": True, "takes_part": True})
