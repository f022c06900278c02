from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from members.choices import Sex
from orgunits.forms import UnitPickerField

from .choices import TransferKind
from .selectors import open_cell_by_code


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of transfer"), choices=TransferKind.choices, widget=forms.RadioSelect)
    to_unit = UnitPickerField(label=_("Receiving cell in the commune"), required=False)
    other_cell_code = forms.CharField(
        label=_("Or the code of a cell elsewhere on Sổ tay"), max_length=32, required=False
    )
    outside_name = forms.CharField(label=_("Or the party organisation outside Sổ tay"), max_length=255, required=False)
    moves_on = forms.DateField(label=_("Moving on"), widget=DateInput)
    returns_on = forms.DateField(label=_("Coming back on (temporary transfer)"), widget=DateInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    filed_on = forms.DateField(
        label=_("Application filed on"),
        widget=DateInput,
        required=False,
        help_text=_("For a paper application recorded later; leave empty for today."),
    )

    def __init__(self, *args, nearby, on_paper: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = nearby
        if not on_paper:  # the member applying on the phone applies today
            del self.fields["filed_on"]

    def clean(self):
        data = super().clean()
        code = data.get("other_cell_code", "").strip()
        if code:
            cell = open_cell_by_code(code)
            if cell is None:
                self.add_error("other_cell_code", _("No open party cell has this code on Sổ tay."))
            data["to_unit"] = data.get("to_unit") or cell
        chosen = [bool(data.get("to_unit")), bool(data.get("outside_name", "").strip())]
        if self.is_bound and not self.errors and chosen.count(True) != 1:
            raise forms.ValidationError(
                _("Choose one destination: a cell on Sổ tay, or a party organisation outside it.")
            )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "to_unit": data.get("to_unit"),
            "outside_name": data.get("outside_name", ""),
            "moves_on": data["moves_on"],
            "returns_on": data.get("returns_on"),
            "reason": data["reason"],
            "filed_on": data.get("filed_on"),
        }


class LetterForm(forms.Form):
    list_position = forms.IntegerField(
        label=_("Position in the cell's list"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to take the member's place in the cell's list by name."),
    )
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=DateInput,
        required=False,
        help_text=_("For a letter signed on paper and recorded later; leave empty for today."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class IncomingForm(forms.Form):
    """A member arriving with a letter issued outside Sổ tay: the letter's details and the record's essentials."""

    to_unit = UnitPickerField(label=_("Receiving cell"))
    outside_name = forms.CharField(label=_("Issued by (party organisation)"), max_length=255)
    outside_letter = forms.CharField(label=_("Letter number and date"), max_length=100)
    moves_on = forms.DateField(label=_("Arrived on"), widget=DateInput)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=12)
    joined_on = forms.DateField(label=_("Date of joining"), widget=DateInput)
    official_on = forms.DateField(label=_("Date made official"), widget=DateInput, required=False)
    card_number = forms.CharField(label=_("Party card number"), max_length=8, required=False)
    background_file_number = forms.CharField(label=_("Background-file number"), max_length=9, required=False)

    MEMBER_FIELDS = (
        "full_name",
        "sex",
        "date_of_birth",
        "citizen_id",
        "joined_on",
        "official_on",
        "card_number",
        "background_file_number",
    )

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = cells

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        member_data = {name: data[name] for name in self.MEMBER_FIELDS if data.get(name) not in (None, "")}
        return {
            "to_unit": data["to_unit"],
            "outside_name": data["outside_name"],
            "outside_letter": data["outside_letter"],
            "moves_on": data["moves_on"],
            "member_data": member_data,
        }
