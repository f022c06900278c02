"""Writes of the dues app. The pages and the API call the same functions.

Recording payments, members' dues bases and exemptions needs DUES_RECORD on the cell (its secretary, the
committee's officers above). The ledger is append-only: `payment_correct` reverses a payment with an entry of
the opposite amount and, when a corrected payment is given, records it as a new entry; nothing is edited or
deleted. Every row written has its change-log row in the same transaction.
"""

import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log, model_create, snapshot
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from .choices import (
    FULL_EXEMPTION_GROUNDS,
    HARDSHIP_MONTHS_MAX,
    HARDSHIP_REDUCTIONS,
    MINIMUM_WAGE_BASES,
    PERCENT_OF_AMOUNT_BASES,
    DuesBasis,
    EntryKind,
    ExemptionGround,
    PaymentMethod,
)
from .models import ArrearsReason, CellBankAccount, DuesExemption, DuesProfile, LedgerEntry
from .rules import add_months, first_of_month
from .statements import check_file, statement_rows

# Payments in advance are allowed (a member working away pays ahead), but not years ahead: that is a typing slip.
MONTHS_AHEAD_MAX = 12


def _require_record(actor: User, unit: Unit) -> None:
    require_unit_permission(actor, Permission.DUES_RECORD, unit)


def whole_dong_amount(value, field: str, *, required: bool = True, positive: bool = False) -> Decimal | None:
    """`value` as a Decimal of whole đồng, or a ValidationError on `field`."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter the amount in đồng.")})
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter the amount in đồng.")}) from None
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise ValidationError({field: _("Amounts are in whole đồng.")})
    if amount < 0 or (positive and amount == 0):
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount >= Decimal(10) ** 12:
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal(1))


def _month_start(value: datetime.date, field: str) -> datetime.date:
    if value is None:
        raise ValidationError({field: _("Choose the month.")})
    return first_of_month(value)


@transaction.atomic
def profile_record(
    *,
    actor: User,
    member: Member,
    starts_on: datetime.date,
    basis: str,
    amount=None,
    wage_region: int | None = None,
    fixed_amount=None,
    voluntary_amount=None,
    note: str = "",
) -> DuesProfile:
    """A member's dues basis from a month on. The months before keep the basis they had."""
    _require_record(actor, member.unit)
    starts_on = _month_start(starts_on, "starts_on")
    amount = whole_dong_amount(amount, "amount", required=basis in PERCENT_OF_AMOUNT_BASES, positive=True)
    fixed_amount = whole_dong_amount(fixed_amount, "fixed_amount", required=basis == DuesBasis.OTHER)
    voluntary_amount = whole_dong_amount(voluntary_amount, "voluntary_amount", required=False, positive=True)
    if basis in MINIMUM_WAGE_BASES and not wage_region:
        raise ValidationError({"wage_region": _("Choose the minimum wage region where the member is active.")})
    if DuesProfile.objects.filter(member=member, starts_on=starts_on).exists():
        raise ValidationError(
            {"starts_on": _("A dues basis from this month is already recorded: record the change from a later month.")}
        )
    profile = DuesProfile(
        member=member,
        starts_on=starts_on,
        basis=basis,
        amount=amount if basis in PERCENT_OF_AMOUNT_BASES else None,
        wage_region=wage_region if basis in MINIMUM_WAGE_BASES else None,
        fixed_amount=fixed_amount if basis == DuesBasis.OTHER else None,
        voluntary_amount=voluntary_amount,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    return model_create(profile, actor=actor, unit=member.unit)


@transaction.atomic
def exemption_record(
    *,
    actor: User,
    member: Member,
    ground: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    reduction_percent: int = 100,
    note: str = "",
) -> DuesExemption:
    """Exempt a member from dues, or reduce them, for a ground and a period of months."""
    _require_record(actor, member.unit)
    starts_on = _month_start(starts_on, "starts_on")
    ends_on = first_of_month(ends_on) if ends_on else None
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end is before the start.")})
    if ground in FULL_EXEMPTION_GROUNDS:
        reduction_percent = 100
    elif ground == ExemptionGround.HARDSHIP:
        if reduction_percent not in HARDSHIP_REDUCTIONS:
            raise ValidationError(
                {"reduction_percent": _("For hardship, dues are reduced by 30, 50 or 70 %, or waived.")}
            )
        if ends_on is None or ends_on >= add_months(starts_on, HARDSHIP_MONTHS_MAX):
            raise ValidationError({"ends_on": _("For hardship, an exemption lasts at most twelve months at a time.")})
    exemption = DuesExemption(
        member=member,
        ground=ground,
        reduction_percent=reduction_percent,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    return model_create(exemption, actor=actor, unit=member.unit)


@dataclasses.dataclass(frozen=True)
class PaymentLine:
    """One member's payment in a batch recorded for a month."""

    member: Member
    amount: object
    receipt_number: str = ""
    bank_reference: str = ""


def _check_proof(method: str, receipt_number: str, bank_reference: str, name: str) -> None:
    if method == PaymentMethod.CASH and not receipt_number:
        raise ValidationError(_("%(name)s: enter the receipt number of the cash payment.") % {"name": name})
    if method == PaymentMethod.BANK_TRANSFER and not bank_reference:
        raise ValidationError(_("%(name)s: enter the reference of the bank transfer.") % {"name": name})


def _check_dates(month: datetime.date, paid_on: datetime.date) -> None:
    today = timezone.localdate()
    if paid_on is None or paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if month > add_months(first_of_month(today), MONTHS_AHEAD_MAX):
        raise ValidationError({"month": _("Dues can be paid at most twelve months ahead.")})


@transaction.atomic
def payments_record(
    *,
    actor: User,
    unit: Unit,
    month: datetime.date,
    method: str,
    paid_on: datetime.date,
    lines: list[PaymentLine],
    note: str = "",
) -> list[LedgerEntry]:
    """Record the payments of members of a cell for one month (one at a time, or all ticked at a meeting).
    Every line is checked before anything is written."""
    _require_record(actor, unit)
    if unit.kind not in CELL_KINDS:
        raise ValidationError({"unit": _("Dues are recorded by cells.")})
    month = _month_start(month, "month")
    _check_dates(month, paid_on)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose how the dues were paid.")})
    if not lines:
        raise ValidationError(_("Tick at least one member who paid."))
    entries, seen = [], set()
    for line in lines:
        member = line.member
        if member.unit_id != unit.pk:
            raise ValidationError(_("%(name)s is not on this cell's roll.") % {"name": member.full_name})
        if member.pk in seen:
            raise ValidationError(_("%(name)s is listed twice.") % {"name": member.full_name})
        seen.add(member.pk)
        amount = whole_dong_amount(line.amount, "amount", positive=True)
        receipt_number = (line.receipt_number or "").strip()
        bank_reference = (line.bank_reference or "").strip()
        _check_proof(method, receipt_number, bank_reference, member.full_name)
        entries.append(
            LedgerEntry(
                unit=unit,
                member=member,
                month=month,
                kind=EntryKind.PAYMENT,
                amount=amount,
                method=method,
                receipt_number=receipt_number if method == PaymentMethod.CASH else "",
                bank_reference=bank_reference if method == PaymentMethod.BANK_TRANSFER else "",
                paid_on=paid_on,
                note=(note or "").strip(),
                recorded_by=actor,
            )
        )
    for entry in entries:
        model_create(entry, actor=actor, unit=unit)
    return entries


@transaction.atomic
def payment_correct(
    *,
    actor: User,
    entry: LedgerEntry,
    reason: str,
    amount=None,
    method: str | None = None,
    receipt_number: str = "",
    bank_reference: str = "",
    month: datetime.date | None = None,
    paid_on: datetime.date | None = None,
) -> tuple[LedgerEntry, LedgerEntry | None]:
    """Correct a recorded payment: an entry reversing it, then (unless `amount` is None: the payment never
    happened) the payment as it should have been recorded. The wrong entry stays, marked reversed."""
    entry = LedgerEntry.objects.select_for_update().select_related("unit", "member").get(pk=entry.pk)
    _require_record(actor, entry.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is corrected.")})
    if entry.kind != EntryKind.PAYMENT:
        raise ValidationError(_("Only a payment can be corrected."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This payment was already corrected: correct the entry that replaced it."))
    today = timezone.localdate()
    reversal = LedgerEntry(
        unit=entry.unit,
        member=entry.member,
        month=entry.month,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        method=entry.method,
        receipt_number=entry.receipt_number,
        bank_reference=entry.bank_reference,
        paid_on=today,
        reverses=entry,
        note=reason[:500],
        recorded_by=actor,
    )
    replacement = None
    if amount not in (None, ""):
        method = method or entry.method
        new_month = _month_start(month, "month") if month else entry.month
        new_paid_on = paid_on or entry.paid_on
        _check_dates(new_month, new_paid_on)
        receipt_number = (receipt_number or "").strip()
        bank_reference = (bank_reference or "").strip()
        _check_proof(method, receipt_number, bank_reference, entry.member.full_name)
        replacement = LedgerEntry(
            unit=entry.unit,
            member=entry.member,
            month=new_month,
            kind=EntryKind.PAYMENT,
            amount=whole_dong_amount(amount, "amount", positive=True),
            method=method,
            receipt_number=receipt_number if method == PaymentMethod.CASH else "",
            bank_reference=bank_reference if method == PaymentMethod.BANK_TRANSFER else "",
            paid_on=new_paid_on,
            replaces=entry,
            note=reason[:500],
            recorded_by=actor,
        )
    model_create(reversal, actor=actor, unit=entry.unit, reason=reason)
    if replacement is not None:
        model_create(replacement, actor=actor, unit=entry.unit, reason=reason)
    return reversal, replacement


@transaction.atomic
def arrears_reason_record(*, actor: User, member: Member, year: int, reason: str) -> ArrearsReason:
    """Why a member did not pay in a year, for the committee's worklist."""
    _require_record(actor, member.unit)
    row = ArrearsReason(member=member, year=year, reason=(reason or "").strip(), recorded_by=actor)
    if not row.reason:
        raise ValidationError({"reason": _("Enter the reason.")})
    return model_create(row, actor=actor, unit=member.unit)


@transaction.atomic
def bank_account_set(
    *, actor: User, unit: Unit, bank_bin: str, account_number: str, account_name: str
) -> CellBankAccount:
    """The account a cell's VietQR codes pay into."""
    _require_record(actor, unit)
    if unit.kind not in CELL_KINDS:
        raise ValidationError({"unit": _("Dues are recorded by cells.")})
    account = CellBankAccount.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(account) if account else None
    account = account or CellBankAccount(unit=unit)
    account.bank_bin = (bank_bin or "").strip()
    account.account_number = (account_number or "").replace(" ", "")
    account.account_name = (account_name or "").strip()
    account.updated_at = timezone.now()
    account.full_clean()
    account.save()
    change_log(
        actor=actor,
        obj=account,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(account),
        unit=unit,
    )
    return account


@transaction.atomic
def statement_import(*, actor: User, unit: Unit, name: str, content: bytes) -> list[LedgerEntry]:
    """Record the matched rows of a bank statement as transfers (each with the bank's reference, so importing the
    same statement again records nothing more). Unmatched rows are left for the secretary to look at."""
    _require_record(actor, unit)
    check_file(name, content)
    entries = []
    for row in statement_rows(unit=unit, name=name, content=content):
        if not row.is_matched:
            continue
        _check_dates(row.month, row.paid_on)
        entry = LedgerEntry(
            unit=unit,
            member=row.member,
            month=row.month,
            kind=EntryKind.PAYMENT,
            amount=row.amount,
            method=PaymentMethod.BANK_TRANSFER,
            bank_reference=row.reference[:80],
            paid_on=row.paid_on,
            note=row.description[:500],
            recorded_by=actor,
        )
        model_create(entry, actor=actor, unit=unit, reason=_("Bank statement %(name)s") % {"name": name[:100]})
        entries.append(entry)
    return entries
