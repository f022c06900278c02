from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from orgunits.forms import UnitPickerField

from .choices import Grade
from .rules import DEFAULT_EXCELLENT_QUOTA_PERCENT


class CampaignForm(forms.Form):
    unit = UnitPickerField(label=_("Committee"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    self_review_due = forms.DateField(label=_("Self-reviews due"), widget=DateInput)
    decision_due = forms.DateField(label=_("Decisions due"), widget=DateInput)
    excellent_quota_percent = forms.IntegerField(
        label=_("Share of “excellent” among “good” or better (%)"),
        min_value=0,
        max_value=100,
        initial=DEFAULT_EXCELLENT_QUOTA_PERCENT,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SelfReviewForm(forms.Form):
    strengths = forms.CharField(label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    remedies = forms.CharField(
        label=_("How I will remedy them"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    points = forms.IntegerField(label=_("Points (of 100)"), min_value=0, max_value=100)
    self_grade = forms.ChoiceField(label=_("Grade I propose"), choices=Grade.choices)


class ProposalForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade the cell proposes"), choices=Grade.choices)
    vote = forms.ModelChoiceField(label=_("The meeting's vote"), queryset=None, required=False)
    votes_for = forms.IntegerField(label=_("Votes for (vote on paper)"), min_value=0, required=False)
    voters = forms.IntegerField(label=_("Members voting"), min_value=0, required=False)

    def __init__(self, *args, votes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"].queryset = votes


class DecisionForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade decided"), choices=Grade.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
