"""The import pages' forms: they only parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from accounts.models import User
from orgunits.selectors import units_visible_to

from . import headers as header_tools
from .reading import ENCODINGS, column_letter


class ImportUploadForm(forms.Form):
    unit = forms.CharField(
        label=_("Import into (unit code)"),
        max_length=64,
        help_text=_("The commune, grassroots organisation or cell whose roster this is, e.g. XA."),
    )
    file = forms.FileField(label=_("Roster file (.xlsx or .csv)"))
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=[("", _("Detect automatically")), *ENCODINGS.items()],
        required=False,
    )
    sheet_name = forms.CharField(label=_("Sheet (optional)"), max_length=100, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        unit = units_visible_to(self.actor, Permission.MEMBER_CHANGE).filter(code__iexact=code).first()
        if unit is None:
            raise forms.ValidationError(_("There is no unit with this code that you may change."))
        return unit


class ImportMappingForm(forms.Form):
    remember = forms.BooleanField(label=_("Remember these choices for my next files"), required=False, initial=True)

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [("", _("— not imported —")), *header_tools.field_choices()]
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column_letter(index)} · {header or '—'}",
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), ""),
            )
        self.order_fields([f"column_{index}" for index in range(len(job.headers))] + ["remember"])

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.job.headers))]

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data[f"column_{index}"]
            for index in range(len(self.job.headers))
            if self.cleaned_data.get(f"column_{index}")
        }
