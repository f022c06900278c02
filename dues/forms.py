"""Forms of the dues pages: they only parse; the services decide."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput

from .choices import HARDSHIP_REDUCTIONS, DuesBasis, ExemptionGround, PaymentMethod, WageRegion
from .services import PaymentLine

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> datetime.date | None:
    """'2026-11' (what a browser's month picker sends) as the first day of the month, or None."""
    match = MONTH_PATTERN.match((value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month as YYYY-MM, cleaned to its first day."""

    widget = MonthInput

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("Enter a month as year and month, e.g. 2026-11."))
        return month


class MoneyField(forms.DecimalField):
    """A sum in whole đồng."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=13, decimal_places=0, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "step": "1"})


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


def year_from(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return timezone.localdate().year


class PaymentSheetForm(forms.Form):
    """The month's sheet at a meeting: one row per member, the amount owed filled in, ticked for who paid."""

    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.rows = rows
        for row in rows:
            member = row.member
            self.fields[f"paid_{member.pk}"] = forms.BooleanField(label=member.full_name, required=False)
            amount_label = gettext("Amount (đồng)")
            proof_label = gettext("Receipt number or bank reference")
            self.fields[f"amount_{member.pk}"] = MoneyField(
                label=amount_label, required=False, initial=row.line.owing or row.line.due
            )
            self.fields[f"amount_{member.pk}"].widget.attrs["aria-label"] = f"{amount_label}: {member.full_name}"
            self.fields[f"proof_{member.pk}"] = forms.CharField(label=proof_label, max_length=80, required=False)
            self.fields[f"proof_{member.pk}"].widget.attrs.update(
                {"aria-label": f"{proof_label}: {member.full_name}", "placeholder": proof_label}
            )

    def sheet(self):
        """(row, paid box, amount box, proof box) for the template."""
        return [
            (row, self[f"paid_{row.member.pk}"], self[f"amount_{row.member.pk}"], self[f"proof_{row.member.pk}"])
            for row in self.rows
        ]

    def lines(self) -> list[PaymentLine]:
        method = self.cleaned_data["method"]
        lines = []
        for row in self.rows:
            pk = row.member.pk
            if not self.cleaned_data.get(f"paid_{pk}"):
                continue
            proof = self.cleaned_data.get(f"proof_{pk}", "")
            lines.append(
                PaymentLine(
                    member=row.member,
                    amount=self.cleaned_data.get(f"amount_{pk}"),
                    receipt_number=proof if method == PaymentMethod.CASH else "",
                    bank_reference=proof if method == PaymentMethod.BANK_TRANSFER else "",
                )
            )
        return lines


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
    amount = MoneyField(
        label=_("Correct amount (đồng)"),
        required=False,
        help_text=_("Leave empty if the payment was never made: it is then only reversed."),
    )
    month = MonthField(label=_("Month paid for"), required=False)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    proof = forms.CharField(label=_("Receipt number or bank reference"), max_length=80, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), required=False)

    def service_data(self) -> dict:
        data = self.cleaned_data
        method = data["method"]
        return {
            "reason": data["reason"],
            "amount": data["amount"],
            "month": data["month"],
            "method": method,
            "receipt_number": data["proof"] if method == PaymentMethod.CASH else "",
            "bank_reference": data["proof"] if method == PaymentMethod.BANK_TRANSFER else "",
            "paid_on": data["paid_on"],
        }


class ProfileForm(forms.Form):
    starts_on = MonthField(label=_("From the month of"))
    basis = forms.ChoiceField(label=_("Dues basis"), choices=DuesBasis.choices)
    amount = MoneyField(
        label=_("Monthly salary or pension (đồng)"),
        required=False,
        help_text=_("The salary used for social insurance of the month before, or the pension."),
    )
    wage_region = forms.TypedChoiceField(
        label=_("Minimum wage region"),
        choices=[("", "—"), *WageRegion.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    fixed_amount = MoneyField(label=_("Fixed monthly amount (đồng)"), required=False)
    voluntary_amount = MoneyField(
        label=_("Voluntary monthly amount (đồng)"),
        required=False,
        help_text=_("If the member chooses to pay more than the rules ask."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExemptionForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=ExemptionGround.choices)
    reduction_percent = forms.TypedChoiceField(
        label=_("Reduction"),
        choices=[(value, "100 %" if value == 100 else f"{value} %") for value in HARDSHIP_REDUCTIONS[::-1]],
        coerce=int,
        initial=100,
        help_text=_("Only for other hardship: the other grounds exempt in full."),
    )
    starts_on = MonthField(label=_("From the month of"))
    ends_on = MonthField(label=_("Until the month of"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReasonForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class BankAccountForm(forms.Form):
    bank_bin = forms.CharField(
        label=_("Bank BIN"), max_length=6, help_text=_("The bank's 6-digit NAPAS code, e.g. 970436 for Vietcombank.")
    )
    account_number = forms.CharField(label=_("Account number"), max_length=19)
    account_name = forms.CharField(label=_("Account holder"), max_length=100)


# A statement of one cell's account for a few months is a few kilobytes; the limit keeps the preview's hidden copy small.
STATEMENT_MAX_BYTES = 1024 * 1024


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        return upload
