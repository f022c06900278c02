from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import LONG_TEXT_MAX_LENGTH
from orgunits.forms import UnitPickerField

from .choices import DocumentKind
from .models import DOCUMENT_TEXT_MAX_LENGTH


class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Number, title or issuing body, with or without accents")}),
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *DocumentKind.choices])
    year = forms.TypedChoiceField(label=_("Year of issue"), required=False, coerce=int, empty_value=None)
    body = forms.ChoiceField(label=_("Issuing body"), required=False)

    def __init__(self, *args, years=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((year, str(year)) for year in years)]
        self.fields["body"].choices = [("", _("All issuing bodies")), *((body, body) for body in bodies)]


class DocumentForm(forms.Form):
    unit = UnitPickerField(
        label=_("Publish to"),
        help_text=_("Members and officials of this unit and every unit below it will see the document."),
    )
    number = forms.CharField(label=_("Number and symbol"), max_length=64, help_text=_("For example 45-NQ/TW."))
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("A PDF file, at most %(size)s MB."),
    )
    text = forms.CharField(
        max_length=DOCUMENT_TEXT_MAX_LENGTH,
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Needed when there is no PDF file."),
    )
    notify_members = forms.BooleanField(label=_("Tell the members in their inbox"), required=False, initial=True)

    def __init__(self, *args, units=None, max_megabytes: float = 20, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["file"].help_text = self.fields["file"].help_text % {"size": max_megabytes}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=500)


class DocumentEditForm(forms.Form):
    number = DocumentForm.base_fields["number"]
    issued_on = DocumentForm.base_fields["issued_on"]
    issuing_body = DocumentForm.base_fields["issuing_body"]
    kind = DocumentForm.base_fields["kind"]
    title = DocumentForm.base_fields["title"]
    summary = DocumentForm.base_fields["summary"]
    text = forms.CharField(
        max_length=DOCUMENT_TEXT_MAX_LENGTH, label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    reason = forms.CharField(
        label=_("What was corrected, and why"), max_length=500, help_text=_("Kept in the document's history.")
    )
