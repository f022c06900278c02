"""Reads of transfers, always narrowed to what the actor may see.

A member sees their own transfers. Others are seen with MEMBER_VIEW over the cell the member leaves or the cell that
receives them, or by the committee that decides (TRANSFER_DECIDE on the issuing committee). Outside scope a transfer
does not exist (404).
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, units_q
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of

from .choices import OPEN_STAGES, LetterCheck, Stage, TransferKind
from .letters import letter_token_read
from .models import Transfer


def _visible_q(actor: User) -> Q:
    return (
        Q(member__user=actor)
        | units_q(actor, Permission.MEMBER_VIEW, via="from_unit__")
        | units_q(actor, Permission.MEMBER_VIEW, via="to_unit__")
        | units_q(actor, Permission.TRANSFER_DECIDE, via="issuing_unit__")
    )


def transfers_visible_to(actor: User) -> QuerySet[Transfer]:
    if not actor.is_authenticated:
        return Transfer.objects.none()
    return (
        Transfer.objects.filter(_visible_q(actor))
        .select_related("member", "from_unit", "to_unit", "issuing_unit")
        .order_by("-applied_at", "-pk")
    )


def transfer_get(*, actor: User, pk: int) -> Transfer:
    return get_object_or_404(transfers_visible_to(actor), pk=pk)


def own_transfers(*, user: User) -> QuerySet[Transfer]:
    if not user.is_authenticated or not user.member_id:
        return Transfer.objects.none()
    return transfers_visible_to(user).filter(member_id=user.member_id)


def waiting_for_decision(*, actor: User) -> QuerySet[Transfer]:
    """Applications the actor's committees decide, the oldest deadline first."""
    return (
        transfers_visible_to(actor)
        .filter(units_q(actor, Permission.TRANSFER_DECIDE, via="issuing_unit__"), stage=Stage.APPLIED)
        .order_by("issue_due", "pk")
    )


def waiting_for_receipt(*, actor: User) -> QuerySet[Transfer]:
    """Letters issued to cells the actor receives members into."""
    return (
        transfers_visible_to(actor)
        .filter(units_q(actor, Permission.MEMBER_CHANGE, via="to_unit__"), stage=Stage.ISSUED)
        .order_by("present_due", "pk")
    )


def away_temporarily(*, actor: User) -> QuerySet[Transfer]:
    """Members of the actor's cells away on a temporary transfer, and those staying in them."""
    return (
        transfers_visible_to(actor)
        .filter(kind=TransferKind.TEMPORARY, stage__in=[Stage.RECEIVED, Stage.DEPARTED])
        .order_by("returns_on", "pk")
    )


def late(*, actor: User, day: datetime.date) -> QuerySet[Transfer]:
    """The late list, both sides: letters not issued by their deadline, letters not presented by theirs."""
    return (
        transfers_visible_to(actor)
        .filter(Q(stage=Stage.APPLIED, issue_due__lt=day) | Q(stage=Stage.ISSUED, present_due__lt=day))
        .order_by("applied_at", "pk")
    )


def is_late(transfer: Transfer, day: datetime.date) -> bool:
    if transfer.stage == Stage.APPLIED:
        return transfer.issue_due is not None and transfer.issue_due < day
    if transfer.stage == Stage.ISSUED:
        return transfer.present_due is not None and transfer.present_due < day
    return False


def member_for_transfer(*, actor: User, pk: int) -> Member:
    """A member whose transfer the actor may file: themselves, or with MEMBER_CHANGE over their cell (404)."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.MEMBER_CHANGE, via="unit__") | Q(pk=actor.member_id or 0)
    return get_object_or_404(Member.objects.filter(condition).select_related("unit"), pk=pk)


def nearby_cells(*, member: Member) -> QuerySet[Unit]:
    """The open cells of the member's commune (other than their own): the usual destinations, offered by name."""
    commune = commune_committee_of(member.unit)
    return (
        Unit.objects.filter(path__startswith=commune.path, kind__in=CELL_KINDS, closed_on__isnull=True)
        .exclude(pk=member.unit_id)
        .order_by("path")
    )


def open_cell_by_code(code: str) -> Unit | None:
    """A cell anywhere on Sổ tay by its code: a destination is any cell, whoever files the application."""
    return Unit.objects.filter(code=code.strip(), kind__in=CELL_KINDS, closed_on__isnull=True).first()


def receiving_cells(*, actor: User) -> QuerySet[Unit]:
    """The open cells the actor may receive members into (for a letter from outside Sổ tay)."""
    return Unit.objects.filter(
        units_q(actor, Permission.MEMBER_CHANGE), kind__in=CELL_KINDS, closed_on__isnull=True
    ).order_by("path")


def can_decide(*, user: User, transfer: Transfer) -> bool:
    return transfer.issuing_unit_id is not None and has_unit_permission(
        user, Permission.TRANSFER_DECIDE, transfer.issuing_unit
    )


def can_receive(*, user: User, transfer: Transfer) -> bool:
    return transfer.to_unit_id is not None and has_unit_permission(user, Permission.MEMBER_CHANGE, transfer.to_unit)


def can_manage_home(*, user: User, transfer: Transfer) -> bool:
    return transfer.from_unit_id is not None and has_unit_permission(user, Permission.MEMBER_CHANGE, transfer.from_unit)


def can_cancel(*, user: User, transfer: Transfer) -> bool:
    if transfer.stage not in OPEN_STAGES:
        return False
    return (
        user.member_id == transfer.member_id
        or can_decide(user=user, transfer=transfer)
        or can_manage_home(user=user, transfer=transfer)
    )


def letter_check(token_value: str) -> tuple[str, Transfer | None]:
    """A letter's state from the token of its QR (no scope: whoever holds the paper may check it; the page shows
    no more than the letter itself)."""
    read = letter_token_read(token_value)
    if read is None:
        return LetterCheck.FORGED, None
    pk, number, year = read
    transfer = (
        Transfer.objects.select_related("member", "from_unit", "to_unit", "issuing_unit")
        .filter(pk=pk, letter_number=number, letter_year=year)
        .first()
    )
    if transfer is None:
        return LetterCheck.FORGED, None
    if transfer.stage in (Stage.ISSUED, Stage.DEPARTED):  # a letter out of Sổ tay is presented elsewhere
        return LetterCheck.GENUINE, transfer
    if transfer.stage == Stage.CANCELLED:
        return LetterCheck.CANCELLED, transfer
    return LetterCheck.USED, transfer
