"""Transfers over the API: the same selectors and services as the pages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from common.api import READ_ERRORS, WRITE_ERRORS, Int64, TextIn
from common.dates import today

from . import selectors, services
from .choices import TransferKind

router = Router(tags=["transfers"])


class TransferOut(Schema):
    id: int
    member_id: int
    member_name: str
    kind: str
    route: str
    stage: str
    from_unit_code: str | None
    to_unit_code: str | None
    outside_name: str
    issuing_unit_code: str | None
    moves_on: datetime.date
    returns_on: datetime.date | None
    issue_due: datetime.date | None
    letter: str
    issued_on: datetime.date | None
    present_due: datetime.date | None
    received_on: datetime.date | None
    is_late: bool


class ApplicationIn(Schema):
    member_id: Int64 | None = Field(
        None, description="Another member of a cell the caller manages; the caller's own if empty"
    )
    kind: TransferKind
    to_unit_code: str = Field("", max_length=32, description="The receiving cell on Sổ tay")
    outside_name: str = Field("", max_length=255, description="Or the party organisation outside Sổ tay")
    moves_on: datetime.date
    returns_on: datetime.date | None = None
    reason: TextIn
    filed_on: datetime.date | None = Field(None, description="The day a paper application reached the cell")


class LetterIn(Schema):
    list_position: int | None = Field(None, ge=1, le=100000)
    signed_on: datetime.date | None = Field(None, description="The day a letter signed on paper was signed")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=500)


def _code(unit) -> str | None:
    return unit.code if unit else None


def _out(transfer) -> dict:
    return {
        "id": transfer.pk,
        "member_id": transfer.member_id,
        "member_name": transfer.member.full_name,
        "kind": transfer.kind,
        "route": transfer.route,
        "stage": transfer.stage,
        "from_unit_code": _code(transfer.from_unit),
        "to_unit_code": _code(transfer.to_unit),
        "outside_name": transfer.outside_name,
        "issuing_unit_code": _code(transfer.issuing_unit),
        "moves_on": transfer.moves_on,
        "returns_on": transfer.returns_on,
        "issue_due": transfer.issue_due,
        "letter": transfer.letter_reference,
        "issued_on": transfer.issued_on,
        "present_due": transfer.present_due,
        "received_on": transfer.received_on,
        "is_late": selectors.is_late(transfer, today()),
    }


def _fresh(request, transfer) -> dict:
    return _out(selectors.transfer_get(actor=request.auth, pk=transfer.pk))


@router.get("/mine", response={200: list[TransferOut], **READ_ERRORS}, summary="The signed-in member's transfers")
def mine(request):
    return [_out(transfer) for transfer in selectors.own_transfers(user=request.auth)]


@router.get("/late", response={200: list[TransferOut], **READ_ERRORS}, summary="Late transfers the caller sees")
def late(request):
    return [_out(transfer) for transfer in selectors.late(actor=request.auth, day=today())[:500]]


@router.get("/{int:transfer_id}", response={200: TransferOut, **READ_ERRORS}, summary="One transfer")
def detail(request, transfer_id: Int64):
    return _out(selectors.transfer_get(actor=request.auth, pk=transfer_id))


@router.post("/apply", response={200: TransferOut, **WRITE_ERRORS}, summary="Apply to transfer party activity")
def apply(request, payload: ApplicationIn):
    member_id = payload.member_id or request.auth.member_id
    if not member_id:
        raise ValidationError({"member_id": _("Name the member who moves.")})
    member = selectors.member_for_transfer(actor=request.auth, pk=member_id)
    to_unit = None
    if payload.to_unit_code.strip():
        to_unit = selectors.open_cell_by_code(payload.to_unit_code)
        if to_unit is None:
            raise ValidationError({"to_unit_code": _("No open party cell has this code on Sổ tay.")})
    transfer = services.transfer_apply(
        actor=request.auth,
        member=member,
        kind=payload.kind,
        to_unit=to_unit,
        outside_name=payload.outside_name,
        moves_on=payload.moves_on,
        returns_on=payload.returns_on,
        reason=payload.reason,
        filed_on=payload.filed_on,
    )
    return _fresh(request, transfer)


@router.post("/{int:transfer_id}/issue", response={200: TransferOut, **WRITE_ERRORS}, summary="Issue the letter")
def issue(request, transfer_id: Int64, payload: LetterIn):
    transfer = selectors.transfer_get(actor=request.auth, pk=transfer_id)
    return _fresh(
        request,
        services.letter_issue(
            actor=request.auth, transfer=transfer, list_position=payload.list_position, signed_on=payload.signed_on
        ),
    )


@router.post("/{int:transfer_id}/refuse", response={200: TransferOut, **WRITE_ERRORS}, summary="Refuse the application")
def refuse(request, transfer_id: Int64, payload: ReasonIn):
    transfer = selectors.transfer_get(actor=request.auth, pk=transfer_id)
    return _fresh(request, services.transfer_refuse(actor=request.auth, transfer=transfer, reason=payload.reason))


@router.post("/{int:transfer_id}/cancel", response={200: TransferOut, **WRITE_ERRORS}, summary="Cancel the transfer")
def cancel(request, transfer_id: Int64, payload: ReasonIn):
    transfer = selectors.transfer_get(actor=request.auth, pk=transfer_id)
    return _fresh(request, services.transfer_cancel(actor=request.auth, transfer=transfer, reason=payload.reason))


@router.post(
    "/{int:transfer_id}/receive",
    response={200: TransferOut, **WRITE_ERRORS},
    summary="Receive the member into the cell",
)
def receive(request, transfer_id: Int64):
    transfer = selectors.transfer_get(actor=request.auth, pk=transfer_id)
    return _fresh(request, services.transfer_receive(actor=request.auth, transfer=transfer))


@router.post(
    "/{int:transfer_id}/return", response={200: TransferOut, **WRITE_ERRORS}, summary="The end of a temporary transfer"
)
def return_home(request, transfer_id: Int64):
    transfer = selectors.transfer_get(actor=request.auth, pk=transfer_id)
    return _fresh(request, services.transfer_return(actor=request.auth, transfer=transfer))
