"""Bank statements: the credit rows of a cell's account (CSV or XLSX) matched to members and months by the
reference their VietQR transfers carry. Reading only; `services.statement_import` records the matched rows.

Amounts are read as whole đồng: "30.000", "30,000", "30 000" and "30000" are all thirty thousand (statements
in Việt Nam write no fractions of a đồng); a number cell of a workbook may read "30000.0".
"""

import dataclasses
import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.tabular import read_table
from members.models import Member
from orgunits.models import Unit

from .models import LedgerEntry
from .vietqr import parse_reference

HEADINGS = {
    "date": ("ngay giao dich", "ngay", "transaction date", "date"),
    "amount": ("so tien ghi co", "ghi co", "so tien", "credit", "amount"),
    "description": ("noi dung", "dien giai", "mo ta", "description"),
    "reference": ("so tham chieu", "ma giao dich", "so but toan", "reference"),
}
_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_NUMBER_CELL = re.compile(r"^\d+(\.0+)?$")


def parse_amount(text: str) -> Decimal | None:
    text = (text or "").strip()
    if _GROUPED.match(text):
        return Decimal(re.sub(r"[.,\s]", "", text))
    if _NUMBER_CELL.match(text):
        return Decimal(text).quantize(Decimal(1))
    return None


def parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip()[:10]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclasses.dataclass(frozen=True)
class StatementRow:
    number: int
    paid_on: datetime.date | None
    amount: Decimal | None
    description: str
    reference: str
    member: Member | None = None
    month: datetime.date | None = None
    problem: str = ""

    @property
    def is_matched(self) -> bool:
        return not self.problem


def statement_rows(*, unit: Unit, name: str, content: bytes) -> list[StatementRow]:
    """Every row of the statement, matched (a member of the cell, a month, an amount, a date, a reference not yet
    in the ledger) or with the problem that keeps it out."""
    table = read_table(name, content, HEADINGS)
    found = [(number, row, parse_reference(row["description"])) for number, row in table]
    members = Member.objects.in_bulk([match[0] for _number, _row, match in found if match])
    recorded = set(
        LedgerEntry.objects.filter(unit=unit, bank_reference__in=[row["reference"] for _n, row, _m in found])
        .exclude(bank_reference="")
        .values_list("bank_reference", flat=True)
    )
    rows, seen = [], set()
    for number, row, match in found:
        paid_on, amount, reference = parse_date(row["date"]), parse_amount(row["amount"]), row["reference"].strip()
        member = members.get(match[0]) if match else None
        problem = ""
        if match is None:
            problem = _("No dues reference in the description.")
        elif member is None or member.unit_id != unit.pk:
            problem = _("The reference names no member of this cell.")
        elif amount is None or amount <= 0:
            problem = _("The amount cannot be read.")
        elif paid_on is None:
            problem = _("The date cannot be read.")
        elif not reference:
            problem = _("The row has no bank reference.")
        elif reference in recorded or reference in seen:
            problem = _("Already in the ledger.")
        seen.add(reference)
        rows.append(
            StatementRow(
                number=number,
                paid_on=paid_on,
                amount=amount,
                description=row["description"],
                reference=reference,
                member=member if not problem or member else None,
                month=match[1] if match else None,
                problem=problem,
            )
        )
    return rows


def check_file(name: str, content: bytes) -> None:
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Choose a CSV or XLSX file.")})
