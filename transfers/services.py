"""Writes of a transfer of party activity. Each checks the actor's role through accounts.scoping and writes the
change log; the member's record changes only through the member services.

The steps: the member (or the cell's secretary for them) applies → the committee (rules.issuing_committee)
decides and issues the letter, or refuses → the member presents the letter and the receiving cell confirms: the
record, the roles and the figures move then, never at application. A transfer out of Sổ tay ends with the letter
(the record is marked transferred out); a temporary one keeps the record at home until the member returns.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from accounts.selectors import nearest_role_holders
from accounts.services import roles_follow_transfer
from audit.services import model_create, model_update
from common.dates import today as local_today
from common.locks import locked
from common.text import fold_for_search
from dues.selectors import paid_through
from members.choices import CURRENT_STATUSES, MemberStatus
from members.models import Member
from members.services import member_create, member_update
from notifications.services import Message, notify
from orgunits.models import Unit

from . import rules
from .choices import OPEN_STAGES, Route, Stage, TransferKind
from .models import UNDER_WAY, Transfer
from .selectors import can_decide

# A member who is not on a cell's roll any more cannot be transferred.
TRANSFERABLE_STATUSES = CURRENT_STATUSES - {MemberStatus.TRANSFERRED_OUT_TEMPORARILY}


def _open_cell(unit_id) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    if not rules.is_cell(unit) or unit.closed_on is not None:
        raise ValidationError({"to_unit": _("The receiving unit must be an open party cell.")})
    return unit


def _tell(recipients, *, kind: str, transfer: Transfer, title: str, body: str = "", once: str = "") -> None:
    notify(
        recipients=recipients,
        message=Message(
            kind=kind,
            title=title,
            body=body,
            url=f"/transfers/{transfer.pk}/",
            dedupe_key=f"{kind}:{transfer.pk}:{once}" if once else "",
        ),
    )


def _member_users(member: Member):
    return User.objects.filter(member_id=member.pk, is_active=True)


@transaction.atomic
def transfer_apply(
    *,
    actor: User,
    member: Member,
    kind: str,
    moves_on: datetime.date,
    reason: str,
    to_unit: Unit | None = None,
    outside_name: str = "",
    returns_on: datetime.date | None = None,
    filed_on: datetime.date | None = None,
) -> Transfer:
    """The member's application, filed by the member or by their cell's secretary: to a cell on Sổ tay, or to a
    party organisation outside it (named). `filed_on`: the day a paper application reached the cell, when the
    secretary records it later; the committee's deadline counts from it."""
    today = local_today()
    filed_on = filed_on or today
    if not today - datetime.timedelta(days=365) <= filed_on <= today:
        raise ValidationError({"filed_on": _("The application was filed within the last year, not in the future.")})
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if actor.member_id != member.pk:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if member.status not in TRANSFERABLE_STATUSES:
        raise ValidationError(_("This member is not on a cell's roll: there is nothing to transfer."))
    if Transfer.objects.filter(UNDER_WAY, member=member).exists():
        raise ValidationError(_("This member already has a transfer under way: finish or cancel it first."))
    if kind not in TransferKind.values:
        raise ValidationError({"kind": _("Choose official or temporary.")})
    outside_name = outside_name.strip()
    if to_unit is not None:
        to_unit = _open_cell(to_unit.pk)
        if to_unit.pk == member.unit_id:
            raise ValidationError({"to_unit": _("The member already belongs to this cell.")})
        outside_name = ""
    elif not outside_name:
        raise ValidationError(
            {"to_unit": _("Choose the receiving cell, or name the party organisation outside Sổ tay.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    if moves_on < filed_on - datetime.timedelta(days=365):
        raise ValidationError({"moves_on": _("The date of the move is more than a year ago.")})
    if kind == TransferKind.TEMPORARY:
        if problem := rules.temporary_stay_problem(moves_on, returns_on):
            raise ValidationError({"returns_on": problem})
    else:
        returns_on = None
    route = rules.route_between(member.unit, to_unit)
    transfer = Transfer(
        member=member,
        kind=kind,
        route=route,
        from_unit=member.unit,
        to_unit=to_unit,
        outside_name=outside_name,
        issuing_unit=rules.issuing_committee(member.unit, route),
        reason=reason.strip(),
        moves_on=moves_on,
        returns_on=returns_on,
        applied_by=actor,
        filed_on=filed_on,
        issue_due=rules.issue_due(filed_on),
    )
    model_create(transfer, actor=actor, unit=member.unit)
    with translation.override("vi"):
        _tell(
            nearest_role_holders(transfer.issuing_unit, Permission.TRANSFER_DECIDE),
            kind="transfers.applied",
            transfer=transfer,
            title=_("Transfer application: %(name)s") % {"name": member.full_name},
            body=_("Decide by %(day)s.") % {"day": transfer.issue_due.strftime("%d/%m/%Y")},
        )
    return transfer


def _locked(transfer: Transfer) -> Transfer:
    row = locked(Transfer, [transfer.pk])[transfer.pk]
    return Transfer.objects.select_related("member", "from_unit", "to_unit", "issuing_unit").get(pk=row.pk)


def _list_position(member: Member) -> int:
    """The member's place in their cell's list, by name as the registry orders it."""
    ahead = Q(sort_name__lt=member.sort_name) | Q(sort_name=member.sort_name, pk__lt=member.pk)
    return Member.objects.filter(ahead, unit_id=member.unit_id, status__in=CURRENT_STATUSES).count() + 1


def _next_letter_number(issuing_unit: Unit, year: int) -> int:
    Unit.objects.select_for_update().filter(pk=issuing_unit.pk).first()  # one number at a time per committee
    last = (
        Transfer.objects.filter(issuing_unit=issuing_unit, letter_year=year, letter_number__isnull=False)
        .order_by("-letter_number")
        .values_list("letter_number", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def letter_issue(
    *, actor: User, transfer: Transfer, list_position: int | None = None, signed_on: datetime.date | None = None
) -> Transfer:
    """The committee's decision: the letter, numbered in the committee's year, with what it carries from the
    record. Out of Sổ tay the transfer ends here and the record is marked transferred out. `signed_on`: the day the
    letter was signed on paper, when it is recorded later; the member's 30 working days count from it."""
    today = local_today()
    signed_on = signed_on or today
    if not transfer.filed_on <= signed_on <= today:
        raise ValidationError({"signed_on": _("The letter was signed after the application, and not in the future.")})
    transfer = _locked(transfer)
    require_unit_permission(actor, Permission.TRANSFER_DECIDE, transfer.issuing_unit)
    if transfer.stage != Stage.APPLIED:
        raise ValidationError(_("The letter can be issued only for an application waiting for a decision."))
    member = transfer.member
    if member.status not in TRANSFERABLE_STATUSES:
        raise ValidationError(_("This member is not on a cell's roll any more: refuse or cancel the application."))
    if list_position is not None and list_position < 1:
        raise ValidationError({"list_position": _("The position in the list starts at 1.")})
    data = {
        "letter_year": signed_on.year,
        "letter_number": _next_letter_number(transfer.issuing_unit, signed_on.year),
        "card_number": member.card_number,
        "background_file_number": member.background_file_number,
        "list_position": list_position or _list_position(member),
        "dues_paid_through": paid_through(member=member),
        "issued_by": actor,
        "issued_on": signed_on,
        "present_due": rules.present_due(signed_on) if transfer.to_unit_id else None,
        "stage": Stage.ISSUED if transfer.to_unit_id else Stage.DEPARTED,
        "status_before": member.status if transfer.kind == TransferKind.TEMPORARY else "",
    }
    transfer = model_update(transfer, data=data, actor=actor, unit=transfer.from_unit)
    if transfer.to_unit_id is None:
        _leave_for_outside(actor=actor, transfer=transfer, today=signed_on)
        return transfer
    with translation.override("vi"):
        title = _("Transfer letter %(number)s issued: %(name)s") % {
            "number": transfer.letter_reference,
            "name": member.full_name,
        }
        body = _("Present it to %(cell)s by %(day)s.") % {
            "cell": transfer.to_unit.name,
            "day": transfer.present_due.strftime("%d/%m/%Y"),
        }
        _tell(_member_users(member), kind="transfers.issued", transfer=transfer, title=title, body=body)
        _tell(
            nearest_role_holders(transfer.to_unit, Permission.MEMBER_CHANGE),
            kind="transfers.incoming",
            transfer=transfer,
            title=title,
            body=body,
        )
    return transfer


def _leave_for_outside(*, actor: User, transfer: Transfer, today: datetime.date) -> None:
    official = transfer.kind == TransferKind.OFFICIAL
    member_update(
        actor=actor,
        member=transfer.member,
        data={
            "status": MemberStatus.TRANSFERRED_OUT if official else MemberStatus.TRANSFERRED_OUT_TEMPORARILY,
            "status_since": today,
            "transferred_out_on": today,
            "transferred_out_to": transfer.outside_name,
        },
        reason=_("Transfer letter %(number)s") % {"number": transfer.letter_reference},
        authorized_by_policy=True,
    )
    user = User.objects.filter(member_id=transfer.member_id).first()
    if official and user is not None:
        roles_follow_transfer(
            actor=actor,
            user=user,
            from_unit=transfer.from_unit,
            to_unit=None,
            reason=_("Transferred out of Sổ tay"),
        )


@transaction.atomic
def transfer_receive(*, actor: User, transfer: Transfer) -> Transfer:
    """The receiving cell confirms the member presented the letter. An official transfer moves the record, the
    roles and the figures now; a temporary one marks the member as away, the record staying with the home cell."""
    today = local_today()
    transfer = _locked(transfer)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, transfer.to_unit)
    if transfer.stage != Stage.ISSUED:
        raise ValidationError(_("Only a transfer whose letter was issued can be received."))
    if transfer.member.status not in TRANSFERABLE_STATUSES:
        raise ValidationError(_("This member is not on a cell's roll any more: the letter cannot be received."))
    status_before = transfer.member.status
    reason = _("Transfer letter %(number)s received by %(cell)s") % {
        "number": transfer.letter_reference,
        "cell": transfer.to_unit.name,
    }
    if transfer.kind == TransferKind.OFFICIAL:
        data = {
            "unit": transfer.to_unit,
            "transferred_in_on": today,
            "transferred_in_from": transfer.from_unit.name,
        }
    else:
        data = {
            "status": MemberStatus.TRANSFERRED_OUT_TEMPORARILY,
            "status_since": today,
            "transferred_out_on": today,
            "transferred_out_to": transfer.to_unit.name,
        }
    member_update(actor=actor, member=transfer.member, data=data, reason=reason, authorized_by_policy=True)
    user = User.objects.filter(member_id=transfer.member_id).first()
    if transfer.kind == TransferKind.OFFICIAL and user is not None:
        roles_follow_transfer(
            actor=actor, user=user, from_unit=transfer.from_unit, to_unit=transfer.to_unit, reason=reason
        )
    transfer = model_update(
        transfer,
        data={
            "stage": Stage.RECEIVED,
            "received_by": actor,
            "received_on": today,
            "status_before": status_before if transfer.kind == TransferKind.TEMPORARY else "",
        },
        actor=actor,
        unit=transfer.to_unit,
    )
    with translation.override("vi"):
        _tell(
            nearest_role_holders(transfer.from_unit, Permission.MEMBER_CHANGE),
            kind="transfers.received",
            transfer=transfer,
            title=_("%(name)s was received by %(cell)s")
            % {"name": transfer.member.full_name, "cell": transfer.to_unit.name},
        )
    return transfer


@transaction.atomic
def transfer_return(*, actor: User, transfer: Transfer) -> Transfer:
    """The end of a temporary transfer: the member is back in the home cell's activity."""
    today = local_today()
    transfer = _locked(transfer)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, transfer.from_unit)
    if transfer.kind != TransferKind.TEMPORARY or transfer.stage not in (Stage.RECEIVED, Stage.DEPARTED):
        raise ValidationError(_("Only a temporary transfer under way can end with the member's return."))
    member_update(
        actor=actor,
        member=transfer.member,
        data={"status": transfer.status_before or MemberStatus.ACTIVE, "status_since": today},
        reason=_("Back from the temporary transfer %(number)s") % {"number": transfer.letter_reference},
        authorized_by_policy=True,
    )
    return model_update(
        transfer, data={"stage": Stage.RETURNED, "returned_on": today}, actor=actor, unit=transfer.from_unit
    )


@transaction.atomic
def transfer_refuse(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    transfer = _locked(transfer)
    require_unit_permission(actor, Permission.TRANSFER_DECIDE, transfer.issuing_unit)
    if transfer.stage != Stage.APPLIED:
        raise ValidationError(_("Only an application waiting for a decision can be refused."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the transfer is refused.")})
    transfer = model_update(
        transfer,
        data={"stage": Stage.REFUSED, "closed_by": actor, "closed_reason": reason.strip()},
        actor=actor,
        unit=transfer.from_unit,
    )
    with translation.override("vi"):
        _tell(
            _member_users(transfer.member),
            kind="transfers.refused",
            transfer=transfer,
            title=_("Your transfer application was refused"),
            body=reason.strip(),
        )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """Withdrawn before the receiving cell confirmed: by the member, their cell's secretary or the committee."""
    transfer = _locked(transfer)
    if actor.member_id != transfer.member_id and not can_decide(user=actor, transfer=transfer):
        require_unit_permission(actor, Permission.MEMBER_CHANGE, transfer.from_unit)
    if transfer.stage not in OPEN_STAGES:
        raise ValidationError(_("This transfer is finished: it can no longer be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the transfer is cancelled.")})
    return model_update(
        transfer,
        data={"stage": Stage.CANCELLED, "closed_by": actor, "closed_reason": reason.strip()},
        actor=actor,
        unit=transfer.from_unit,
    )


def _same_person(member: Member, data: dict) -> bool:
    return fold_for_search(member.full_name) == fold_for_search(str(data.get("full_name", ""))) and str(
        member.date_of_birth
    ) == str(data.get("date_of_birth", ""))


@transaction.atomic
def transfer_receive_from_outside(
    *,
    actor: User,
    to_unit: Unit,
    outside_name: str,
    outside_letter: str,
    moves_on: datetime.date,
    member_data: dict,
) -> Transfer:
    """A member arriving with a letter issued outside Sổ tay: the record comes from the letter's details (or, for
    someone who once transferred out of Sổ tay, their old record comes back with the same name and date of birth)."""
    today = local_today()
    to_unit = _open_cell(to_unit.pk)
    require_unit_permission(actor, Permission.MEMBER_CHANGE, to_unit)
    if not outside_name.strip() or not outside_letter.strip():
        raise ValidationError(_("Give the organisation that issued the letter and the letter's number and date."))
    arrival = {"unit": to_unit, "transferred_in_on": today, "transferred_in_from": outside_name.strip()}
    citizen_id = str(member_data.get("citizen_id", "")).strip()
    known = Member.objects.filter(citizen_id=citizen_id).first() if citizen_id else None
    reason = _("Transfer letter %(letter)s from %(origin)s") % {
        "letter": outside_letter.strip(),
        "origin": outside_name,
    }
    if known is None:
        member = member_create(actor=actor, data={**member_data, **arrival}, reason=reason)
    elif known.status != MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(
            {"citizen_id": _("This member is on Sổ tay already: the transfer is made from their own cell.")}
        )
    elif not _same_person(known, member_data):
        raise ValidationError(
            {
                "citizen_id": _(
                    "A member who transferred out has this citizen ID under another name or date of birth: check the "
                    "letter, the record is not changed."
                )
            }
        )
    else:
        member = member_update(
            actor=actor,
            member=known,
            data={**arrival, "status": MemberStatus.ACTIVE, "status_since": today},
            reason=reason,
            authorized_by_policy=True,
        )
    transfer = Transfer(
        member=member,
        kind=TransferKind.OFFICIAL,
        route=Route.FROM_OUTSIDE,
        stage=Stage.RECEIVED,
        to_unit=to_unit,
        outside_name=outside_name.strip(),
        outside_letter=outside_letter.strip(),
        moves_on=moves_on,
        applied_by=actor,
        filed_on=today,
        received_by=actor,
        received_on=today,
    )
    return model_create(transfer, actor=actor, unit=to_unit)


# Reminders start this many days before a deadline.
REMIND_DAYS_BEFORE = 5


def transfers_send_reminders(*, day: datetime.date | None = None) -> int:
    """The daily reminders (idempotent: each is sent once per transfer and deadline). Returns how many transfers
    were concerned.

    - An application nearing or past its letter deadline: to the deciding committee.
    - A letter nearing or past the day it must be presented: to the member and the receiving cell; once late, to the
      issuing committee too.
    - A temporary transfer whose stay ends within the window: to the home cell."""
    day = day or local_today()
    soon = day + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    concerned = 0
    with translation.override("vi"):
        for transfer in Transfer.objects.filter(stage=Stage.APPLIED, issue_due__lte=soon).select_related(
            "member", "issuing_unit"
        ):
            late = transfer.issue_due < day
            _tell(
                nearest_role_holders(transfer.issuing_unit, Permission.TRANSFER_DECIDE),
                kind="transfers.decision_late" if late else "transfers.decision_due",
                transfer=transfer,
                title=(_("Transfer decision late: %(name)s") if late else _("Transfer decision due: %(name)s"))
                % {"name": transfer.member.full_name},
                body=_("The letter was due by %(day)s.") % {"day": transfer.issue_due.strftime("%d/%m/%Y")},
                once="late" if late else "soon",
            )
            concerned += 1
        for transfer in Transfer.objects.filter(stage=Stage.ISSUED, present_due__lte=soon).select_related(
            "member", "to_unit", "issuing_unit"
        ):
            late = transfer.present_due < day
            title = (
                _("Transfer letter not presented: %(name)s") if late else _("Present the transfer letter: %(name)s")
            ) % {"name": transfer.member.full_name}
            body = _("To %(cell)s by %(day)s.") % {
                "cell": transfer.to_unit.name,
                "day": transfer.present_due.strftime("%d/%m/%Y"),
            }
            once = "late" if late else "soon"
            kind = "transfers.present_late" if late else "transfers.present_due"
            _tell(_member_users(transfer.member), kind=kind, transfer=transfer, title=title, body=body, once=once)
            _tell(
                nearest_role_holders(transfer.to_unit, Permission.MEMBER_CHANGE),
                kind=kind,
                transfer=transfer,
                title=title,
                body=body,
                once=once,
            )
            if late:
                _tell(
                    nearest_role_holders(transfer.issuing_unit, Permission.TRANSFER_DECIDE),
                    kind=kind,
                    transfer=transfer,
                    title=title,
                    body=body,
                    once=once,
                )
            concerned += 1
        for transfer in Transfer.objects.filter(
            kind=TransferKind.TEMPORARY, stage__in=[Stage.RECEIVED, Stage.DEPARTED], returns_on__lte=soon
        ).select_related("member", "from_unit"):
            _tell(
                nearest_role_holders(transfer.from_unit, Permission.MEMBER_CHANGE),
                kind="transfers.return_due",
                transfer=transfer,
                title=_("Back from a temporary transfer: %(name)s") % {"name": transfer.member.full_name},
                body=_("The stay ends on %(day)s: record the member's return.")
                % {"day": transfer.returns_on.strftime("%d/%m/%Y")},
                once="return",
            )
            concerned += 1
    return concerned
