"""Forms of the correction pages. They parse; the services judge."""

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, VietnameseOrderedChoices, reason_field
from members.exporting.workbooks import PURPOSE_MAX_LENGTH
from members.models import Member
from orgunits.choices import CELL_KINDS, RESIDENCE_AREA_KINDS
from orgunits.forms import UnitPickerField
from orgunits.models import AdminArea, Unit
from orgunits.selectors import province_committee_of

from .choices import Decision, RequestState
from .policy import SECTION_FIELDS, field_policies


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class CorrectionForm(forms.Form):
    """The correctable fields of one section, filled with the record's values: what the user changes is asked for."""

    reason = reason_field(required=True)
    attachments = MultipleFileField(
        label=_("Photos of supporting papers"),
        required=False,
        help_text=_("JPEG, PNG or PDF, at most 5 MB each, up to 5 files."),
    )

    def __init__(self, *args, member: Member, section: str, **kwargs):
        self.member = member
        correctable = set(field_policies())
        self.record_fields = [name for name in SECTION_FIELDS[section] if name in correctable]
        record = model_to_dict(member, fields=self.record_fields)
        if "unit" in record:
            record["unit"] = member.unit  # the picker shows (and compares) the cell's code, not its id
        kwargs["initial"] = {**record, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        widgets = {
            name: DateInput for name in self.record_fields if isinstance(Member._meta.get_field(name), models.DateField)
        }
        fields = fields_for_model(Member, fields=self.record_fields, widgets=widgets)
        if "unit" in fields:
            fields["unit"] = UnitPickerField(label=fields["unit"].label)
        for field in fields.values():
            # An emptied value is judged by the service, which says which fields may not be empty.
            field.required = False
        self.fields = {**fields, **self.fields}
        self.fields["reason"].help_text = _("For example, which paper shows the right value.")
        if "unit" in self.fields:
            self.fields["unit"].queryset = cells_for(member)
        if "residence_area" in self.fields:
            areas = AdminArea.objects.filter(kind__in=RESIDENCE_AREA_KINDS)
            province_area = province_committee_of(member.unit).area
            if province_area is not None:
                areas = areas.filter(path__startswith=province_area.path)
            self.fields["residence_area"].iterator = VietnameseOrderedChoices
            self.fields["residence_area"].queryset = areas | AdminArea.objects.filter(pk=member.residence_area_id)

    def record_bound_fields(self):
        return [self[name] for name in self.record_fields]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.record_fields}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject: the member reads it."),
    )

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["decision"].choices = [(value, label) for value, label in Decision.choices if value in allowed]


class BulkDecisionForm(DecisionForm):
    requests = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args, request_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].choices = [(pk, pk) for pk in request_ids]


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Open"))] + RequestState.choices)
    field = forms.ChoiceField(label=_("Field"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(field_policies())
        self.fields["field"].choices = [("", _("Any field"))] + [
            (name, capfirst(Member._meta.get_field(name).verbose_name)) for name in names
        ]


class ChangeFileForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), max_length=32)
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    purpose = forms.CharField(label=_("What is this export for?"), max_length=PURPOSE_MAX_LENGTH)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def cells_for(member: Member):
    """Cells a member may name as their place of activity: open cells of their province, and their own."""
    province = province_committee_of(member.unit)
    return (
        Unit.objects.filter(path__startswith=province.path, kind__in=CELL_KINDS, closed_on__isnull=True)
        | Unit.objects.filter(pk=member.unit_id)
    ).order_by("name")


class CampaignForm(forms.Form):
    unit = forms.CharField(label=_("Committee code"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput)


class CampaignAnswerForm(forms.Form):
    """Yes, or the cell the member really attends."""

    cell = UnitPickerField(label=_("My cell is"), required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells_for(member)
        self.fields["cell"].initial = member.unit
