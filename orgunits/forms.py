"""Forms for changing the party tree. They only parse input; the services judge it."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from common.collation import sorted_vietnamese
from common.dates import today
from common.forms import DateInput, reason_field

from .choices import UNIT_PARENT_KINDS, OrganisationKind, UnitKind
from .models import AdminArea, Organisation, Unit
from .selectors import areas_managed_by, peoples_committees_managed_by, units_managed_by

if TYPE_CHECKING:
    from accounts.models import User


class UnitCodeInput(forms.TextInput):
    """A unit typed by its code, with likely units offered as suggestions (a datalist).

    A datalist stays usable with thousands of units, where a select would not, and works without JavaScript.
    """

    template_name = "orgunits/widgets/unit_code_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocapitalize": "characters", "autocomplete": "off", **(attrs or {})})
        self.suggestions = Unit.objects.none()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-suggestions"
        context["widget"]["suggestions"] = self.suggestions
        return context


class UnitCodeField(forms.ModelChoiceField):
    widget = UnitCodeInput
    default_error_messages = {"invalid_choice": _("There is no open unit with this code that you manage.")}

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.none(), to_field_name="code", **kwargs)

    def narrow(self, *, queryset, suggestions) -> None:
        self.queryset = queryset
        self.widget.suggestions = suggestions


class UnitPickerInput(UnitCodeInput):
    """The searchable picker: type a few letters of the name or the code, pick from the suggestions."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("Type a name or a code"), **(attrs or {})})


class UnitPickerField(forms.ModelChoiceField):
    """A unit chosen from a long scoped list (a province's cells: 150 and more) by typing instead of scrolling.

    The picker is a text box with the units as suggestions (a datalist: no script, works on every phone); it
    posts the unit's code. The unit's id, which the select it replaces posted, is still accepted. Only units of
    the field's queryset (the caller's scope) are offered or accepted. Suggestions are in Vietnamese order.
    """

    widget = UnitPickerInput
    default_error_messages = {"invalid_choice": _("Choose a unit from the list (type part of its name or code).")}

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(queryset=Unit.objects.none() if queryset is None else queryset, to_field_name="code", **kwargs)

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        forms.ModelChoiceField.queryset.fset(self, queryset)
        self.widget.suggestions = _LazyOrdered(self._queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        unit = self.queryset.filter(code__iexact=value).first()
        if unit is None and value.isdigit():
            unit = self.queryset.filter(pk=int(value)).first()
        if unit is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return unit


class _LazyOrdered:
    """The picker's suggestions, read from the database only when the widget is rendered."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __iter__(self):
        return iter(sorted_vietnamese(self.queryset.only("pk", "code", "name"), key=lambda unit: unit.name))


class AreaField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=AdminArea.objects.none(), **kwargs)

    def label_from_instance(self, area: AdminArea) -> str:
        # Indent by depth so a long select reads as the tree it is.
        return f"{'· ' * (area.depth - 1)}{area.name}"


class UnitCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits, dots, dashes or underscores, e.g. XA-C3.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    area = AreaField(label=_("Area served"), required=False)
    opened_on = forms.DateField(label=_("Opened on"), required=False, initial=today, widget=DateInput)
    reason = reason_field(required=False)

    def __init__(self, *args, actor: "User", parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, label) for kind, label in UnitKind.choices if parent.kind in UNIT_PARENT_KINDS[kind]
        ]
        self.fields["area"].queryset = areas_managed_by(actor)


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    area = AreaField(label=_("Area served"), required=False)
    reason = reason_field(required=False)

    def __init__(self, *args, actor: "User", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_managed_by(actor)


class UnitMoveForm(forms.Form):
    new_parent = UnitCodeField(label=_("New parent unit (code)"))
    reason = reason_field(required=True)

    def __init__(self, *args, actor: "User", unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        managed = units_managed_by(actor)
        self.fields["new_parent"].narrow(
            queryset=managed,
            suggestions=managed.filter(kind__in=UNIT_PARENT_KINDS[unit.kind])
            .exclude(path__startswith=unit.path)
            .exclude(path=unit.path[: -Unit.steplen])
            .order_by("path"),
        )


class UnitCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), required=False, initial=today, widget=DateInput)
    reason = reason_field(required=True)


class UnitMergeForm(forms.Form):
    target = UnitCodeField(label=_("Merge into (code)"), help_text=_("A unit of the same kind."))
    reason = reason_field(required=True)

    def __init__(self, *args, actor: "User", unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        managed = units_managed_by(actor)
        self.fields["target"].narrow(
            queryset=managed, suggestions=managed.filter(kind=unit.kind).exclude(pk=unit.pk).order_by("path")
        )


class OrganisationCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits, dots, dashes or underscores, e.g. UBND-XA.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    area = AreaField(label=_("Area"))
    parent = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For an office: its People's Committee."),
    )
    party_unit = UnitPickerField(
        label=_("Its party unit"), required=False, help_text=_("Its own party cell or committee, if it has one.")
    )
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DateInput)
    reason = reason_field(required=False)

    def __init__(self, *args, actor: "User", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_managed_by(actor)
        self.fields["parent"].queryset = peoples_committees_managed_by(actor)
        self.fields["party_unit"].queryset = units_managed_by(actor)


class OrganisationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    party_unit = UnitPickerField(label=_("Its party unit"), required=False)
    reason = reason_field(required=False)

    def __init__(self, *args, actor: "User", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_unit"].queryset = units_managed_by(actor)


class DivisionsLoadForm(forms.Form):
    province = forms.CharField(
        label=_("Province"),
        required=False,
        max_length=100,
        help_text=_("Its official code or its name, e.g. 33 or Hưng Yên. Empty: the whole country."),
    )
    committees = forms.BooleanField(label=_("Also create the committees that serve them"), required=False)
    reason = reason_field(required=False)
