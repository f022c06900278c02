"""Activating members' accounts, the rollout's work: accounts waiting for every member, a cell's printed slips, a
secretary's reset, the identity check by SMS, a supporter activating with the member present, and the activation
itself, which moves the rollout counters in the same transaction.

The codes themselves (issuing, checking, the throttle on wrong ones) are the accounts' (accounts/activation_codes.py):
officers' accounts get theirs there too.
"""

import dataclasses
import datetime
import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.activation_codes import (
    address_failure_record,
    address_key,
    failure_record,
    require_address_not_locked,
    require_not_locked,
    slip_code_issue,
    sms_code_issue,
    sms_validity,
)
from accounts.backends import throttle_key
from accounts.choices import ActivationChannel, Permission
from accounts.models import AccountUse, ActivationCode, User
from accounts.scoping import require_unit_permission
from accounts.services import account_used
from accounts.sms import sms_send
from audit.choices import ChangeAction
from audit.models import ChangeLog
from audit.services import build_change_log, creation_log, model_update, snapshot
from common.bulk import bulk_insert
from common.text import canonical_identifier, normalize_phone
from members.choices import CLOSED_STATUSES, CURRENT_STATUSES
from members.models import Member

from .. import counters as rollout_counters
from ..choices import HelpOutcome, HelpTopic
from ..services import help_session_log

# Accounts waiting for members


def _username_for(member: Member) -> str:
    return member.card_number or f"dv{member.pk}"


def accounts_ensure_for_members(*, actor: User, members: list[Member], reason: str = "") -> dict[int, User]:
    """The account of each member, created (without a usable password) where there is none yet."""
    users = {user.member_id: user for user in User.objects.filter(member__in=members)}
    for member in members:
        if member.pk in users:
            continue
        family, _space, given = member.full_name.rpartition(" ")
        user = User(username=_username_for(member), first_name=given, last_name=family, member=member)
        if User.objects.filter(username__iexact=user.username).exists():
            user.username = f"dv{member.pk}"
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        creation_log(actor=actor, obj=user, reason=reason or "account waiting for activation", unit=member.unit)
        users[member.pk] = user
    return users


@dataclasses.dataclass(frozen=True)
class Slip:
    member: Member
    username: str
    code: str
    expires_at: datetime.datetime


@transaction.atomic
def activation_slips_issue(*, actor: User, cell) -> list[Slip]:
    """New codes for every member of the cell still to activate, to print and hand out at the meeting."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, cell)
    members = list(
        Member.objects.filter(unit=cell, status__in=CURRENT_STATUSES)
        .exclude(user__activated_at__isnull=False)
        .order_by("sort_name", "id")
    )
    return _slips_for(actor=actor, members=members)


@transaction.atomic
def activation_slips_issue_for_members(*, actor: User, members) -> list[Slip]:
    """New codes for each of `members` still to activate (the members of an import, say), in any cells the actor
    may change members in; one who left or died is passed over."""
    members = sorted(
        (
            member
            for member in members
            if member.status in CURRENT_STATUSES and not getattr(getattr(member, "user", None), "activated_at", None)
        ),
        key=lambda member: (member.sort_name, member.pk),
    )
    for unit in {member.unit for member in members}:
        require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    return _slips_for(actor=actor, members=members)


def _slips_for(*, actor: User, members: list[Member]) -> list[Slip]:
    users = accounts_ensure_for_members(actor=actor, members=members)
    slips = []
    for member in members:
        code, expires_at = slip_code_issue(actor=actor, user=users[member.pk])
        slips.append(Slip(member=member, username=users[member.pk].username, code=code, expires_at=expires_at))
    return slips


@transaction.atomic
def activation_code_reset(*, actor: User, member: Member) -> Slip:
    """A secretary's reset: a new code replaces the old ones and the old password stops working."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit)
    if member.status in CLOSED_STATUSES:
        raise ValidationError(_("This member has left the party or died: the account cannot be activated."))
    user = accounts_ensure_for_members(actor=actor, members=[member])[member.pk]
    user.set_unusable_password()
    user.save(update_fields=["password"])
    code, expires_at = slip_code_issue(actor=actor, user=user, channel=ActivationChannel.SECRETARY_RESET)
    return Slip(member=member, username=user.username, code=code, expires_at=expires_at)


# Activation


@transaction.atomic
def account_activate_with_code(*, code: ActivationCode, password: str) -> User:
    """Use the code (once), set the member's password and activate the account through the code's channel."""
    code = ActivationCode.objects.select_for_update().select_related("user").get(pk=code.pk)
    if code.used_at or code.revoked_at or code.expires_at <= timezone.now():
        raise ValidationError(_("This code is not right, has expired or has already been used."))
    user = code.user
    validate_password(password, user)
    user = account_activate(actor=user, user=user, channel=code.channel, helped_by=code.created_by, reason="")
    user.set_password(password)
    user.save(update_fields=["password"])
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    account_used(user=user)
    return user


@transaction.atomic
def account_activate(
    *, actor: User, user: User, reason: str = "", channel: str = ActivationChannel.OTHER, helped_by: User | None = None
) -> User:
    """Mark a member's account as activated. Nobody who has left the party or died can be activated.

    `channel` and `helped_by` are recorded in the user's AccountUse row; the rollout counters move in
    the same transaction.
    """
    user = User.objects.select_for_update(of=("self",)).select_related("member").get(pk=user.pk)
    if user.member_id is not None:
        # Lock the member too, so a concurrent move to another cell cannot miss this activation in the counters.
        user.member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.member_id)
    if user.member is not None and user.member.status in CLOSED_STATUSES:
        raise ValidationError(_("This member has left the party or died: the account cannot be activated."))
    if user.activated_at is not None:
        return user
    model_update(
        user,
        data={"activated_at": timezone.now()},
        actor=actor,
        action=ChangeAction.ACTIVATE,
        reason=reason,
        unit=user.member.unit if user.member else None,
        clean=False,
        update_fields=True,
    )
    AccountUse.objects.update_or_create(
        user=user, defaults={"activation_channel": channel, "activated_with_help_of": helped_by}
    )
    rollout_counters.account_activated(user)
    return user


@transaction.atomic
def accounts_activate_in_bulk(
    *,
    actor: User,
    activations: list[tuple[Member, datetime.datetime]],
    channel: str = ActivationChannel.OTHER,
    helped_by: User | None = None,
    reason: str = "",
) -> int:
    """`account_activate` for many members at once, each at its own time: the account is created where there is
    none yet, then activated, with the change-log rows (dated when it happened), the account-use row and the
    rollout counters (on the day it happened). For loads (the demo's weeks of rollout): a few statements instead
    of a dozen per member. Members already activated are skipped; returns how many were activated."""
    when_by_member = {member.pk: when for member, when in activations}
    members = list(Member.objects.select_for_update(of=("self",)).select_related("unit").filter(pk__in=when_by_member))
    closed = [member for member in members if member.status in CLOSED_STATUSES]
    if closed:
        raise ValidationError(_("This member has left the party or died: the account cannot be activated."))
    users = {user.member_id: user for user in User.objects.select_for_update().filter(member__in=members)}
    taken = {
        name.lower()
        for name in User.objects.filter(
            username__in=[member.card_number for member in members if member.card_number]
        ).values_list("username", flat=True)
    }
    new_users = []
    for member in members:
        if member.pk in users:
            continue
        family, _space, given = member.full_name.rpartition(" ")
        username = member.card_number if member.card_number and member.card_number.lower() not in taken else ""
        user = User(username=username or f"dv{member.pk}", first_name=given, last_name=family, member=member)
        user.activated_at = when_by_member[member.pk]
        # What set_unusable_password() stores ("!" and random text), from one call to secrets instead of forty.
        user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        taken.add(user.username.lower())
        new_users.append(user)
    bulk_insert(User, new_users)
    # Accounts that were waiting (slips printed): activated each at its time. New accounts are created activated.
    waiting = [user for user in users.values() if user.activated_at is None]
    for user in waiting:
        user.activated_at = when_by_member[user.member_id]
        User.objects.filter(pk=user.pk).update(activated_at=user.activated_at)
    to_activate = [*waiting, *new_users]
    unit_of = {member.pk: member.unit for member in members}
    created = {user.pk for user in new_users}
    # One change-log row built as `change_log` builds it, the others copied from its fields: a load logs thousands.
    common = (
        {
            name: value
            for name, value in vars(
                build_change_log(actor=actor, obj=to_activate[0], action=ChangeAction.ACTIVATE, before=None, after=None)
            ).items()
            if name in ("actor_id", "actor_name", "source", "request_id", "ip_address", "object_type_id")
        }
        if to_activate
        else {}
    )
    logs = []
    for user in to_activate:
        unit_id = unit_of[user.member_id].pk
        if user.pk in created:
            logs.append(
                ChangeLog(
                    **common,
                    action=ChangeAction.CREATE,
                    object_id=user.pk,
                    object_repr=str(user)[:300],
                    unit_id=unit_id,
                    postchange_data=snapshot(user),
                    reason=reason,
                    time=user.activated_at,
                )
            )
        logs.append(
            ChangeLog(
                **common,
                action=ChangeAction.ACTIVATE,
                object_id=user.pk,
                object_repr=str(user)[:300],
                unit_id=unit_id,
                postchange_data={"activated_at": user.activated_at.isoformat()},
                reason=reason,
                time=user.activated_at,
            )
        )
    bulk_insert(ChangeLog, logs)
    AccountUse.objects.filter(user__in=waiting).delete()  # replaced by the row of this activation
    bulk_insert(
        AccountUse,
        [
            AccountUse(
                user=user,
                activation_channel=channel,
                activated_with_help_of=helped_by,
                first_used_at=user.activated_at,
                last_used_at=user.activated_at,
            )
            for user in to_activate
        ],
    )
    rollout_counters.accounts_activated_on_days(
        (unit_of[user.member_id].path, timezone.localdate(user.activated_at)) for user in to_activate
    )
    return len(to_activate)


# Identity check by SMS


def activation_sms_send(
    *, card_number: str, date_of_birth: datetime.date, phone: str, address: str | None = None
) -> None:
    """Send a 6-digit code to the phone on the member's record if card number, date of birth and phone all match.

    The answer is the same whether they match or not; a mismatch counts against the card number's account.
    """
    key = throttle_key(card_number, with_card_number=True)
    source_key = address_key(address)
    require_address_not_locked(source_key)
    require_not_locked(key)
    member = (
        Member.objects.filter(card_number=canonical_identifier(card_number), date_of_birth=date_of_birth)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )
    if member is None or not member.phone or member.phone != normalize_phone(phone):
        failure_record(key)
        address_failure_record(source_key)
        return
    with transaction.atomic():
        user = accounts_ensure_for_members(actor=None, members=[member])[member.pk]
        code = sms_code_issue(user=user)
    sms_send(
        phone=member.phone,
        text=_("Sổ tay: your activation code is %(code)s. It expires in %(minutes)s minutes.")
        % {"code": code, "minutes": int(sms_validity().total_seconds() // 60)},
    )


# A supporter with the member present


@transaction.atomic
def account_activate_by_supporter(*, actor: User, team, member: Member, password: str, has_consent: bool, place: str):
    """The member, beside a supporter, chooses a password on the supporter's phone. Recorded as a help session."""
    if not has_consent:
        raise ValidationError({"has_consent": _("The member must agree before you activate their account.")})
    if member.status in CLOSED_STATUSES:
        raise ValidationError(_("This member has left the party or died: the account cannot be activated."))
    user = accounts_ensure_for_members(actor=actor, members=[member])[member.pk]
    validate_password(password, user)
    help_session_log(
        actor=actor,
        team=team,
        members=[member],
        place=place,
        topic=HelpTopic.ACTIVATE,
        outcome=HelpOutcome.DONE,
        is_hand_holding=True,
        has_consent=True,
    )
    user = account_activate(actor=actor, user=user, channel=ActivationChannel.SUPPORTER, helped_by=actor)
    user.set_password(password)
    user.save(update_fields=["password"])
    ActivationCode.objects.usable().filter(user=user).update(revoked_at=timezone.now())
    return user
