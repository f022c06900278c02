"""Dues over the API: the same selectors and services as the pages.

Money is whole đồng, sent and received as decimal strings (or integers): never floats.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import READ_ERRORS, WRITE_ERRORS, Int64, TextIn
from orgunits.models import Unit

from . import selectors, services
from .choices import DuesBasis, ExemptionGround, PaymentMethod, WageRegion
from .forms import parse_month
from .rules import first_of_month

router = Router(tags=["dues"])

MonthText = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; the current month when omitted")


class YearIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="The current year when omitted")


class MonthIn(Schema):
    month: str | None = MonthText


class MonthOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    due: Decimal | None = Field(..., description="Whole đồng; null when no dues basis is recorded")
    paid: Decimal
    owing: Decimal
    state: str


class MemberMonthsOut(Schema):
    member_id: int
    year: int
    months: list[MonthOut]


class EntryOut(Schema):
    id: int
    member_id: int
    month: datetime.date
    kind: str
    amount: Decimal
    method: str
    receipt_number: str
    bank_reference: str
    paid_on: datetime.date
    reverses_id: int | None
    replaces_id: int | None
    note: str


class LedgerRowOut(Schema):
    member_id: int
    full_name: str
    due: Decimal | None
    paid: Decimal
    state: str
    entries: list[EntryOut]


class PaymentLineIn(Schema):
    member_id: Int64
    amount: Decimal = Field(..., description="Whole đồng")
    receipt_number: TextIn = Field("", max_length=40, description="For cash")
    bank_reference: TextIn = Field("", max_length=80, description="For a bank transfer")


class PaymentsIn(Schema):
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="The month paid for, YYYY-MM")
    method: PaymentMethod
    paid_on: datetime.date
    lines: list[PaymentLineIn] = Field(..., min_length=1, max_length=500)
    note: TextIn = Field("", max_length=500)


class CorrectionIn(Schema):
    reason: TextIn = Field(..., min_length=1, max_length=500)
    amount: Decimal | None = Field(None, description="The correct amount; null: the payment was never made")
    month: str | None = MonthText
    method: PaymentMethod | None = None
    receipt_number: TextIn = Field("", max_length=40)
    bank_reference: TextIn = Field("", max_length=80)
    paid_on: datetime.date | None = None


class CorrectionOut(Schema):
    reversal: EntryOut
    replacement: EntryOut | None


class ProfileIn(Schema):
    starts_on: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    basis: DuesBasis
    amount: Decimal | None = None
    wage_region: WageRegion | None = None
    fixed_amount: Decimal | None = None
    voluntary_amount: Decimal | None = None
    note: TextIn = Field("", max_length=500)


class ProfileOut(Schema):
    id: int
    member_id: int
    starts_on: datetime.date
    basis: str
    amount: Decimal | None
    wage_region: int | None
    fixed_amount: Decimal | None
    voluntary_amount: Decimal | None


class ExemptionIn(Schema):
    ground: ExemptionGround
    reduction_percent: int = Field(100, ge=1, le=100)
    starts_on: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    ends_on: str | None = MonthText
    note: TextIn = Field("", max_length=500)


class ExemptionOut(Schema):
    id: int
    member_id: int
    ground: str
    reduction_percent: int
    starts_on: datetime.date
    ends_on: datetime.date | None


class ArrearsOut(Schema):
    member_id: int
    full_name: str
    unit_code: str
    unpaid_months: list[str]
    owing: Decimal
    reason: str


class CollectionRowOut(Schema):
    unit_code: str
    unit_name: str
    by_month: list[Decimal] = Field(..., description="January to December")
    total: Decimal
    upward_percent: Decimal | None
    upward: Decimal = Field(..., description="What the unit passes to the level above")


class CollectionOut(Schema):
    year: int
    total: CollectionRowOut
    children: list[CollectionRowOut]


def _month(value: str | None, field: str) -> datetime.date:
    if not value:
        return first_of_month(timezone.localdate())
    month = parse_month(value)
    if month is None:
        raise ValidationError({field: _("Enter a month as year and month, e.g. 2026-11.")})
    return month


def _months_out(lines) -> list[dict]:
    return [
        {"month": f"{line.month:%Y-%m}", "due": line.due, "paid": line.paid, "owing": line.owing, "state": line.state}
        for line in lines
    ]


def _collection_row(row) -> dict:
    return {
        "unit_code": row.unit.code,
        "unit_name": row.unit.name,
        "by_month": row.by_month,
        "total": row.total,
        "upward_percent": row.upward_percent,
        "upward": row.upward,
    }


@router.get("/mine", response={200: MemberMonthsOut, **READ_ERRORS}, summary="The signed-in member's months")
def mine(request, filters: Query[YearIn]):
    member = selectors.own_member(request.auth)
    if member is None:
        raise Http404
    year = filters.year or timezone.localdate().year
    lines = selectors.member_year(member=member, year=year, today=timezone.localdate())
    return {"member_id": member.pk, "year": year, "months": _months_out(lines)}


@router.get(
    "/cells/{code}/ledger", response={200: list[LedgerRowOut], **READ_ERRORS}, summary="A cell's ledger for a month"
)
def cell_ledger(request, code: str, filters: Query[MonthIn]):
    unit = selectors.unit_for_dues(actor=request.auth, code=code)
    rows = selectors.cell_ledger(unit=unit, month=_month(filters.month, "month"))
    return [
        {
            "member_id": row.member.pk,
            "full_name": row.member.full_name,
            "due": row.line.due,
            "paid": row.line.paid,
            "state": row.line.state,
            "entries": row.entries,
        }
        for row in rows
    ]


@router.post(
    "/cells/{code}/payments", response={201: list[EntryOut], **WRITE_ERRORS}, summary="Record payments for a month"
)
def payments_record(request, code: str, payload: PaymentsIn):
    """Several members at once (a meeting's collection); every line is checked before anything is written."""
    unit = selectors.unit_for_dues(actor=request.auth, code=code, record=True)
    members = {member.pk: member for member in selectors.paying_members_of(unit=unit)}
    lines = []
    for line in payload.lines:
        if line.member_id not in members:
            raise ValidationError({"lines": _("A member listed is not on this cell's roll.")})
        lines.append(
            services.PaymentLine(
                member=members[line.member_id],
                amount=line.amount,
                receipt_number=line.receipt_number,
                bank_reference=line.bank_reference,
            )
        )
    entries = services.payments_record(
        actor=request.auth,
        unit=unit,
        month=_month(payload.month, "month"),
        method=payload.method,
        paid_on=payload.paid_on,
        lines=lines,
        note=payload.note,
    )
    return Status(201, entries)


@router.post(
    "/entries/{int:entry_id}/correct", response={201: CorrectionOut, **WRITE_ERRORS}, summary="Correct a payment"
)
def payment_correct(request, entry_id: Int64, payload: CorrectionIn):
    """The entry is reversed (an entry of the opposite amount) and, with `amount`, recorded again as a new entry."""
    entry = selectors.entry_get(actor=request.auth, pk=entry_id)
    reversal, replacement = services.payment_correct(
        actor=request.auth,
        entry=entry,
        reason=payload.reason,
        amount=payload.amount,
        month=parse_month(payload.month) if payload.month else None,
        method=payload.method,
        receipt_number=payload.receipt_number,
        bank_reference=payload.bank_reference,
        paid_on=payload.paid_on,
    )
    return Status(201, {"reversal": reversal, "replacement": replacement})


@router.post(
    "/members/{int:member_id}/basis", response={201: ProfileOut, **WRITE_ERRORS}, summary="Record a dues basis"
)
def profile_record(request, member_id: Int64, payload: ProfileIn):
    member = selectors.member_for_dues(actor=request.auth, pk=member_id, record=True)
    data = payload.dict(exclude={"starts_on"})
    profile = services.profile_record(
        actor=request.auth, member=member, starts_on=_month(payload.starts_on, "starts_on"), **data
    )
    return Status(201, profile)


@router.post(
    "/members/{int:member_id}/exemptions",
    response={201: ExemptionOut, **WRITE_ERRORS},
    summary="Record an exemption or reduction",
)
def exemption_record(request, member_id: Int64, payload: ExemptionIn):
    member = selectors.member_for_dues(actor=request.auth, pk=member_id, record=True)
    exemption = services.exemption_record(
        actor=request.auth,
        member=member,
        ground=payload.ground,
        reduction_percent=payload.reduction_percent,
        starts_on=_month(payload.starts_on, "starts_on"),
        ends_on=_month(payload.ends_on, "ends_on") if payload.ends_on else None,
        note=payload.note,
    )
    return Status(201, exemption)


@router.get(
    "/units/{code}/arrears",
    response={200: list[ArrearsOut], **READ_ERRORS},
    summary="Members with three or more months unpaid in a year",
)
def arrears(request, code: str, filters: Query[YearIn]):
    unit = selectors.unit_for_dues(actor=request.auth, code=code)
    year = filters.year or timezone.localdate().year
    return [
        {
            "member_id": row.member.pk,
            "full_name": row.member.full_name,
            "unit_code": row.member.unit.code,
            "unpaid_months": [f"{month:%Y-%m}" for month in row.unpaid_months],
            "owing": row.owing,
            "reason": row.reason,
        }
        for row in selectors.arrears(unit=unit, year=year, today=timezone.localdate())
    ]


@router.get(
    "/units/{code}/collection",
    response={200: CollectionOut, **READ_ERRORS},
    summary="Dues collected per unit and month, and what passes upward",
)
def collection(request, code: str, filters: Query[YearIn]):
    unit = selectors.unit_for_dues(actor=request.auth, code=code)
    year = filters.year or timezone.localdate().year
    total, rows = selectors.collection(
        unit=unit, year=year, children=list(Unit.objects.get_children(unit).order_by("path"))
    )
    return {"year": year, "total": _collection_row(total), "children": [_collection_row(row) for row in rows]}
