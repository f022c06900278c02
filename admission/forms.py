from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from members.choices import Sex

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
    votes_for = forms.IntegerField(label=_("Votes for (vote on paper)"), min_value=0, max_value=32767, required=False)
    voters = forms.IntegerField(label=_("Members voting"), min_value=0, max_value=32767, required=False)
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


class CandidateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Cell"), queryset=None, to_field_name="code")
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=12, min_length=12)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TrainingForm(forms.Form):
    training_course = forms.CharField(label=_("Course on the party"), max_length=255)
    certificate_on = forms.DateField(label=_("Certificate dated"), widget=DateInput)


class VerificationForm(forms.Form):
    background_check = _text(_("Background verification"))
    background_checked_on = forms.DateField(label=_("Verified on"), widget=DateInput)


class IntroducersForm(forms.Form):
    introducer_1 = forms.ModelChoiceField(label=_("First introducer"), queryset=None)
    introducer_2 = forms.ModelChoiceField(label=_("Second introducer"), queryset=None)
    mass_org_recommendation = _text(_("The mass organisation's recommendation"), required=False, rows=3)
    mass_org_recommendation_on = forms.DateField(label=_("Recommendation dated"), widget=DateInput, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introducer_1"].queryset = members
        self.fields["introducer_2"].queryset = members


class AdmitForm(forms.Form):
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Why the candidate is dropped"), max_length=500)
