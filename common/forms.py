"""Form pieces every app's pages share."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .collation import vietnamese_sort_key
from .tabular import FILE_SUFFIXES, MAX_FILE_BYTES


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and expects ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def reason_field(*, required: bool) -> forms.CharField:
    """The reason every change is asked for; services write it to the change log."""
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the change log, e.g. the number of the decision."),
    )


class ListFileForm(forms.Form):
    """A small list (units, officers) to check: a CSV or XLSX file, no larger than such a list can be. The
    content is not trusted here either: reading it (common/tabular.py) refuses what is not a sheet."""

    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(FILE_SUFFIXES):
            raise forms.ValidationError(_("Choose a .xlsx or .csv file."))
        if uploaded.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, the most such a list may be.")
                % {"limit": filesizeformat(MAX_FILE_BYTES)}
            )
        return uploaded


class PreviewCommitForm(forms.Form):
    """Apply a preview: its signed rows (common.tabular.rows_sign) and the reason for the change log."""

    rows = forms.CharField(widget=forms.HiddenInput)
    reason = reason_field(required=True)


class VietnameseOrderedChoices(ModelChoiceIterator):
    """A select's options in the Vietnamese order of their labels ("Thôn 2" before "Thôn 10", "Đông" after
    "Dương"), which the database's collation cannot give (common/collation.py). For the short lists a select is
    for (a commune's villages); long ones are pickers (orgunits.forms.UnitPickerField).

    Set it as the field's `iterator` before its queryset, which hands the choices to the widget."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        labelled = [(str(self.field.label_from_instance(item)), item) for item in self.queryset]
        for _label, item in sorted(labelled, key=lambda pair: vietnamese_sort_key(pair[0])):
            yield self.choice(item)
