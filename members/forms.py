"""The member record form. It only parses what was typed; `member_create`/`member_update` judge it."""

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from accounts.models import User
from common.forms import DateInput, VietnameseOrderedChoices, reason_field
from orgunits.choices import RESIDENCE_AREA_KINDS
from orgunits.forms import UnitPickerField
from orgunits.models import AdminArea
from orgunits.selectors import areas_visible_to, cells_visible_to, units_visible_to

from .exporting.workbooks import PURPOSE_MAX_LENGTH
from .fields import EDITABLE_FIELDS, RECORD_SECTIONS
from .models import Member

# The service derives the standing from the date made official, so the form does not ask for it.
FORM_FIELDS = [
    field.name for field in Member._meta.concrete_fields if field.name in EDITABLE_FIELDS and field.name != "standing"
]


def _widget_for(field: models.Field):
    if isinstance(field, models.DateField):
        return DateInput
    if isinstance(field, models.TextField):
        return forms.Textarea(attrs={"rows": 3})
    return None


class MemberForm(forms.Form):
    reason = reason_field(required=False)

    def __init__(self, *args, actor: User, member: Member | None = None, **kwargs):
        if member is not None:
            # The cell as itself, so the picker shows (and compares) its code rather than its id.
            record = {**model_to_dict(member, fields=FORM_FIELDS), "unit": member.unit, "version": member.version}
            kwargs["initial"] = {**record, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        widgets = {
            field.name: _widget_for(field) for field in Member._meta.concrete_fields if _widget_for(field) is not None
        }
        model_fields = fields_for_model(Member, fields=FORM_FIELDS, widgets=widgets)
        model_fields["unit"] = UnitPickerField(label=model_fields["unit"].label)
        self.fields = {**model_fields, **self.fields}

        cells = cells_visible_to(actor, Permission.MEMBER_CHANGE)
        areas = areas_visible_to(actor, Permission.MEMBER_CHANGE).filter(kind__in=RESIDENCE_AREA_KINDS)
        if member is not None:
            # Keep the record's own values choosable even where a closed cell or a neighbouring
            # village would no longer be offered, so an unrelated edit is not refused.
            cells = cells | units_visible_to(actor, Permission.MEMBER_CHANGE).filter(pk=member.unit_id)
            areas = areas | AdminArea.objects.filter(pk=member.residence_area_id)
        self.fields["unit"].queryset = cells
        self.fields["residence_area"].iterator = VietnameseOrderedChoices
        self.fields["residence_area"].queryset = areas

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (title, [self[name] for name in field_names if name in self.fields])
            for title, field_names in RECORD_SECTIONS
        ]

    def record_data(self) -> dict:
        """Every record field, for creating a member."""
        return {name: self.cleaned_data[name] for name in FORM_FIELDS}

    def changed_record_data(self) -> dict:
        """Only the fields the user changed, so the service's derived rules apply to the rest."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in FORM_FIELDS}


class MemberEditForm(MemberForm):
    # The version the user started from: the service refuses the edit if the record has moved on.
    version = forms.IntegerField(widget=forms.HiddenInput)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Record as of"), widget=DateInput)


class ExportPurposeForm(forms.Form):
    """What an export is for. The export service judges it (`exporting.export_purpose_clean`)."""

    purpose = forms.CharField(
        label=_("What is this export for?"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": PURPOSE_MAX_LENGTH, "required": True}),
        help_text=_("Kept in the unit's access log with your name, the members exported and the time."),
    )
