"""Forms of the reports pages. They only parse and present; the services check and write."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.fields import LONG_TEXT_MAX_LENGTH
from orgunits.choices import AreaKind, OrganisationKind, UnitKind
from orgunits.forms import UnitPickerField

from . import fields as report_fields
from .choices import AREAS_OF_BOTH_KINDS, PLACE_KINDS_SEPARATOR, PLACE_TARGET_KINDS, FieldKind, TargetTree

# The word that starts a hand-filled field's line, in the current language ("số:", "chữ:", "chọn:").
MANUAL_KEYWORDS = {
    FieldKind.NUMBER: pgettext_lazy("report field keyword", "number"),
    FieldKind.TEXT: pgettext_lazy("report field keyword", "text"),
    FieldKind.CHOICE: pgettext_lazy("report field keyword", "choice"),
}


def manual_keyword(kind: str) -> str:
    return str(MANUAL_KEYWORDS.get(kind, kind))


def manual_keywords() -> dict[str, str]:
    """Every keyword a line may start with, in every language of the site, so that a template typed in
    English still reads in Vietnamese and the other way round."""
    keywords = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keywords.update({str(keyword).lower(): kind for kind, keyword in MANUAL_KEYWORDS.items()})
    return keywords


def parse_manual_fields(text: str, *, start: int = 1) -> list[dict]:
    """Lines such as "số: Số hộ được hỗ trợ", "chữ: Khó khăn", "chọn: Đánh giá chung = Tốt; Khá; Chưa đạt"
    (or their English keywords "number:", "text:", "choice:")."""
    keywords = manual_keywords()
    result = []
    for number, line in enumerate([line.strip() for line in (text or "").splitlines() if line.strip()], start=start):
        kind, _sep, rest = line.partition(":")
        kind = keywords.get(kind.strip().lower(), kind.strip().lower())
        label, _sep, options = rest.partition("=")
        result.append(
            {
                "key": f"field_{number}",
                "kind": kind,
                "label": label.strip(),
                "options": [option.strip() for option in options.split(";")] if options else [],
            }
        )
    return result


def manual_fields_text(fields: list[dict]) -> str:
    lines = []
    for field in fields:
        if field["kind"] == FieldKind.INDICATOR:
            continue
        line = f"{manual_keyword(field['kind'])}: {field['label']}"
        if field["options"]:
            line += " = " + "; ".join(field["options"])
        lines.append(line)
    return "\n".join(lines)


class TemplateForm(forms.Form):
    unit = UnitPickerField(label=_("Prescribed by"))
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("A short name that stays the same across versions.")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    indicators = forms.MultipleChoiceField(
        label=_("Figures computed from live data"), required=False, widget=forms.CheckboxSelectMultiple
    )
    manual_fields = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Fields filled in by hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One per line: "number: label", "text: label" or "choice: label = option; option".'),
    )
    body = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Opening text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    recipients = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), required=False, max_length=200)

    def __init__(self, *args, units=None, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = report_fields.indicator_choices()
        if revising:
            del self.fields["unit"]
            del self.fields["code"]
        else:
            self.fields["unit"].queryset = units

    def template_fields(self) -> list[dict]:
        data = self.cleaned_data
        chosen = set(data.get("indicators") or [])
        indicator_fields = [
            {"key": key, "kind": FieldKind.INDICATOR, "label": "", "options": []}
            for key, _label in report_fields.indicator_choices()
            if key in chosen
        ]
        return indicator_fields + parse_manual_fields(data.get("manual_fields", ""))

    def layout(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ("body", "place", "recipients", "signer_title")}


def target_choices():
    units = [(f"{TargetTree.UNITS}:{kind}", label) for kind, label in UnitKind.choices if kind != UnitKind.CENTRAL]
    areas = [
        (f"{TargetTree.AREAS}:{kind}", label)
        for kind, label in AreaKind.choices
        if kind in (AreaKind.VILLAGE, AreaKind.RESIDENTIAL_GROUP)
    ] + [(f"{TargetTree.AREAS}:{AREAS_OF_BOTH_KINDS}", TargetTree.AREAS.label)]
    return [(_("Party units"), units), (_("Administrative areas"), areas)]


class CampaignFields(forms.Form):
    """What every campaign states: the template, the title, the period, the figures' date and the deadline."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=None)
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("Empty: the template's title.")
    )
    period_start = forms.DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period until"), widget=forms.DateInput(attrs={"type": "date"}))
    cutoff_on = forms.DateField(label=_("Figures as of"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    remind_days_before = forms.IntegerField(
        label=_("Remind days before the deadline"), min_value=0, max_value=60, initial=3
    )


class CampaignForm(CampaignFields):
    unit = UnitPickerField(label=_("Issued by"))
    target = forms.ChoiceField(label=_("Report from every"), choices=target_choices)

    field_order = ["unit", "template", "title", "target"]

    def __init__(self, *args, units=None, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["template"].queryset = templates

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        tree, _sep, kind = data.pop("target").partition(":")
        return {**data, "target_tree": tree, "target_kind": kind}


def place_kind_choices():
    labels = dict(AreaKind.choices) | dict(OrganisationKind.choices)
    return [(kind, labels[kind]) for kind in PLACE_TARGET_KINDS]


class PlacesCampaignForm(CampaignFields):
    """A campaign to a mix of villages, residential groups and organisations, issued by a People's Committee or by
    a party committee serving an area. The fields of issuers the user cannot use are left out."""

    organisation = forms.ModelChoiceField(label=_("Issued by the People's Committee"), queryset=None, required=False)
    unit = UnitPickerField(label=_("Issued by the party unit"), required=False)
    places = forms.MultipleChoiceField(
        label=_("Report from every"), choices=place_kind_choices, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["organisation", "unit", "template", "title", "places"]

    def __init__(self, *args, units=None, organisations=None, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        if organisations is not None and organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]
        if units is not None and units.exists():
            self.fields["unit"].queryset = units
        else:
            del self.fields["unit"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        kinds = data.pop("places")
        return {
            **data,
            "organisation": data.get("organisation"),
            "unit": data.get("unit"),
            "target_tree": TargetTree.PLACES,
            "target_kind": PLACE_KINDS_SEPARATOR.join(kinds),
        }


class SubmissionForm(forms.Form):
    """The report's fields, built from its template: a computed figure has a note beside it for an override."""

    number_symbol = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = report_fields.cells(submission.campaign.template.fields, submission.values)
        self.value_fields = []
        for cell in self.cells:
            if cell.is_ratio:
                continue
            if cell.kind in (FieldKind.INDICATOR, FieldKind.NUMBER):
                field = forms.IntegerField(label=cell.label, required=False, min_value=0, initial=cell.value)
                field.widget.attrs["inputmode"] = "numeric"
            elif cell.kind == FieldKind.TEXT:
                field = forms.CharField(
                    max_length=report_fields.TEXT_MAX,
                    label=cell.label,
                    required=False,
                    initial=cell.value,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            else:
                field = forms.ChoiceField(
                    label=cell.label,
                    required=False,
                    initial=cell.value,
                    choices=[("", "—"), *[(option, option) for option in cell.options]],
                )
            self.fields[cell.key] = field
            # A figure the system does not know (an organisation without its party unit) is simply typed in.
            if cell.kind == FieldKind.INDICATOR and cell.computed is not None:
                self.fields[f"{cell.key}_note"] = forms.CharField(
                    max_length=report_fields.TEXT_MAX,
                    label=_("Why it differs from %(computed)s") % {"computed": cell.computed},
                    required=False,
                    initial=cell.note,
                )
        for name in ("number_symbol", "place", "signer_name"):
            self.fields[name].initial = getattr(submission, name)

    def rows(self):
        """(cell, field, note field) in template order, for the template."""
        for cell in self.cells:
            if cell.is_ratio:
                yield cell, None, None
            else:
                note = self[f"{cell.key}_note"] if f"{cell.key}_note" in self.fields else None
                yield cell, self[cell.key], note

    def values(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("number_symbol", "place", "signer_name")
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def preset_initial(preset, *, unit) -> dict:
    """The new template's form filled from a preset (reports/presets.py), for `unit` (the officer's highest): its
    code is the preset's with the unit's, as a template's code is unique everywhere."""
    return {
        "unit": unit,
        "code": f"{preset.code}-{unit.code}"[:40] if unit else preset.code,
        "title": preset.title,
        "indicators": [field["key"] for field in preset.fields if field["kind"] == FieldKind.INDICATOR],
        "manual_fields": manual_fields_text([{"options": [], **field} for field in preset.fields]),
        "body": preset.body,
        "recipients": preset.recipients,
        "signer_title": preset.signer_title,
    }
