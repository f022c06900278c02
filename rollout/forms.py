from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import VietnameseOrderedChoices
from members.models import Member
from orgunits.choices import RESIDENCE_AREA_KINDS
from orgunits.models import AdminArea

from .choices import Affiliation, HelpOutcome, HelpPlace, HelpTopic, TeamKind


class DayMonthYearInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, whatever the browser's language (its own date picker would show mm/dd/yyyy
    in an English browser)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10, "autocomplete": "off"} | (attrs or {})
        super().__init__(attrs, format="%d/%m/%Y")


class FiguresForm(forms.Form):
    # ISO dates are still understood: links and bookmarks made before keep working.
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=DayMonthYearInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    target = forms.IntegerField(label=_("Target (percentage of members)"), required=False, min_value=1, max_value=100)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    area = forms.ModelChoiceField(
        label=_("Village / residential group"),
        queryset=AdminArea.objects.none(),
        required=False,
        help_text=_("Leave empty for a team serving the whole unit."),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None and unit.area_id:
            self.fields["area"].iterator = VietnameseOrderedChoices
            self.fields["area"].queryset = AdminArea.objects.filter(
                path__startswith=unit.area.path, kind__in=RESIDENCE_AREA_KINDS
            )


class TeamMemberForm(forms.Form):
    username = forms.CharField(label=_("Username of the supporter"), max_length=150)
    affiliation = forms.ChoiceField(label=_("Affiliation"), choices=Affiliation.choices)


class HelpSessionForm(forms.Form):
    """Three taps: who (ticked on the worklist), where, what and how it went; the rest is optional."""

    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    place = forms.ChoiceField(label=_("Where"), choices=HelpPlace.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("What"), choices=HelpTopic.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=HelpOutcome.choices, widget=forms.RadioSelect, initial=HelpOutcome.DONE
    )
    is_hand_holding = forms.BooleanField(label=_("Hand-holding"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, members_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members_queryset is not None:
            self.fields["members"].queryset = members_queryset


class SupporterActivationForm(forms.Form):
    """On the supporter's phone, with the member beside them: the member agrees and types their own password."""

    place = forms.ChoiceField(label=_("Where"), choices=HelpPlace.choices, widget=forms.RadioSelect)
    has_consent = forms.BooleanField(
        label=_("The member is here and agrees that I activate their account"), required=False
    )
    password1 = forms.CharField(label=_("Password chosen by the member"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("The same password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class PlanForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=50, help_text=_("As on the plan, e.g. 25-KH/ĐU."))
    issued_on = forms.DateField(label=_("Issued on"), widget=DayMonthYearInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    title = forms.CharField(label=_("Title"), max_length=200)
    target_percent = forms.IntegerField(
        # xgettext:no-python-format
        label=_("Target (% of eligible members activated)"),
        min_value=1,
        max_value=100,
        initial=100,
    )
    deadline = forms.DateField(
        label=_("Completion deadline"), widget=DayMonthYearInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DayMonthYearInput, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    place = forms.CharField(label=_("Place"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    trainer = forms.CharField(label=_("Trainer"), max_length=200)
    trainees = forms.CharField(
        label=_("Trainees"), max_length=300, help_text=_("Who was trained, e.g. cell secretaries.")
    )
    trainee_count = forms.IntegerField(label=_("Number of people trained"), min_value=1, max_value=10_000)
