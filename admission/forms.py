from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput

from .choices import ProbationOutcome


def _text(label, *, required=True, rows=4):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=5000, required=required)


class FileForm(forms.Form):
    application = _text(_("The member's application to become official"))
    application_on = forms.DateField(label=_("Application dated"), widget=DateInput)
    introducers_opinion = _text(_("The introducers' opinions"), required=False, rows=3)
    introducers_opinion_on = forms.DateField(label=_("Introducers' opinions dated"), widget=DateInput, required=False)
    mass_org_opinion = _text(_("The mass organisation's opinion"), required=False, rows=3)
    mass_org_opinion_on = forms.DateField(
        label=_("Mass organisation's opinion dated"), widget=DateInput, required=False
    )


class VoteForm(forms.Form):
    vote = forms.ModelChoiceField(label=_("The meeting's vote"), queryset=None, required=False)
    votes_for = forms.IntegerField(label=_("Votes for (vote on paper)"), min_value=0, required=False)
    voters = forms.IntegerField(label=_("Members voting"), min_value=0, required=False)
    voted_on = forms.DateField(label=_("Voted on"), widget=DateInput, required=False)

    def __init__(self, *args, votes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"].queryset = votes


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ProbationOutcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to extend or end the probation."),
    )
    extended_to = forms.DateField(label=_("Probation extended to"), widget=DateInput, required=False)
