"""Activating members' accounts: accounts waiting for every member, one-time codes (printed slips, SMS,
a secretary's reset), a supporter activating with the member present, and the throttle on wrong codes.

Codes are stored as a keyed hash (HMAC with the secret key), expire, and work once. Wrong codes are
counted per account, whichever of its identifiers (in whatever spelling) was typed, or per identifier when it
names nobody; after `ACTIVATION_FAILURE_LIMIT` that account is locked for `ACTIVATION_LOCKOUT_MINUTES`,
whether or not the identifier names anyone, so the answers tell nothing.
"""

import dataclasses
import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from audit.services import creation_log
from common.text import canonical_identifier, normalize_phone
from members.choices import CLOSED_STATUSES, CURRENT_STATUSES
from members.models import Member

from ..backends import find_user_by_identifier, throttle_key, throttle_key_of
from ..choices import ActivationChannel, Permission
from ..models import AccountUse, ActivationCode, ActivationThrottle, User
from ..scoping import require_unit_permission
from ..services import account_activate
from ..sms import sms_send

# No 0/O, 1/I/L: codes are read off paper by older members.
SLIP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SLIP_CODE_LENGTH = 10


def _failure_limit() -> int:
    return getattr(settings, "ACTIVATION_FAILURE_LIMIT", 5)


def _lockout() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "ACTIVATION_LOCKOUT_MINUTES", 15))


def _slip_validity() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ACTIVATION_SLIP_DAYS", 30))


def _sms_validity() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "ACTIVATION_SMS_MINUTES", 10))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(user_id: int, code: str) -> str:
    return salted_hmac("accounts.activation", f"{user_id}:{normalize_code(code)}").hexdigest()


def _new_slip_code() -> str:
    raw = "".join(secrets.choice(SLIP_ALPHABET) for _ in range(SLIP_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _new_sms_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


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


def _issue(*, user: User, channel: str, created_by, validity: datetime.timedelta, code: str) -> ActivationCode:
    now = timezone.now()
    # A new code replaces any earlier one still usable.
    ActivationCode.objects.usable().filter(user=user).update(revoked_at=now)
    return ActivationCode.objects.create(
        user=user,
        code_hash=code_hash(user.pk, code),
        channel=channel,
        created_by=created_by,
        created_at=now,
        expires_at=now + validity,
    )


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


def slip_code_issue(*, actor: User, user: User) -> tuple[str, datetime.datetime]:
    """A new first-sign-in code for `user`, to print on a slip (it replaces any earlier one): (code, valid until)."""
    code = _new_slip_code()
    issued = _issue(
        user=user, channel=ActivationChannel.SLIP_CODE, created_by=actor, validity=_slip_validity(), code=code
    )
    return code, issued.expires_at


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
    code = _new_slip_code()
    issued = _issue(
        user=user, channel=ActivationChannel.SECRETARY_RESET, created_by=actor, validity=_slip_validity(), code=code
    )
    return Slip(member=member, username=user.username, code=code, expires_at=issued.expires_at)


# Checking a code, with the throttle


def _locked_message() -> str:
    return _("Too many wrong codes. Try again in %(minutes)s minutes.") % {
        "minutes": int(_lockout().total_seconds() // 60)
    }


def _require_not_locked(key: str) -> None:
    if ActivationThrottle.objects.filter(identifier=key, locked_until__gt=timezone.now()).exists():
        raise ValidationError(_locked_message())


def _address_key(address: str | None) -> str | None:
    return f"address:{address}" if address else None


def _require_address_not_locked(address_key: str | None) -> None:
    if address_key:
        _require_not_locked(address_key)


def _record_failure(key: str, *, limit: int | None = None) -> None:
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                ActivationThrottle.objects.get_or_create(identifier=key)
        except IntegrityError:
            pass
        row = ActivationThrottle.objects.select_for_update().get(identifier=key)
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= (limit or _failure_limit()):
            row.locked_until = now + _lockout()
            row.failures = 0
        row.save()


def _record_address_failure(address_key: str | None) -> None:
    """Wrong codes are also counted per source address, with the much higher ADDRESS_FAILURE_LIMIT: one address
    trying codes across many accounts is stopped, a support team activating a village from one phone is not."""
    if address_key:
        _record_failure(address_key, limit=settings.ADDRESS_FAILURE_LIMIT)


def activation_code_check(*, identifier: str, code: str, address: str | None = None) -> ActivationCode:
    """The usable code `code` of the account `identifier` names, or ValidationError (counted against the account
    and the source `address`)."""
    user = find_user_by_identifier(identifier, with_card_number=True)
    key = throttle_key_of(user, identifier)
    address_key = _address_key(address)
    _require_address_not_locked(address_key)
    _require_not_locked(key)
    if user is not None:
        for candidate in ActivationCode.objects.usable().filter(user=user):
            if constant_time_compare(candidate.code_hash, code_hash(user.pk, code)):
                ActivationThrottle.objects.filter(identifier=key).update(failures=0)
                return candidate
    _record_failure(key)
    _record_address_failure(address_key)
    raise ValidationError(_("This code is not right, has expired or has already been used."))


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


# Identity check by SMS


def activation_sms_send(
    *, card_number: str, date_of_birth: datetime.date, phone: str, address: str | None = None
) -> None:
    """Send a 6-digit code to the phone on the member's record if card number, date of birth and phone all match.

    The answer is the same whether they match or not; a mismatch counts against the card number's account.
    """
    key = throttle_key(card_number, with_card_number=True)
    address_key = _address_key(address)
    _require_address_not_locked(address_key)
    _require_not_locked(key)
    member = (
        Member.objects.filter(card_number=canonical_identifier(card_number), date_of_birth=date_of_birth)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )
    if member is None or not member.phone or member.phone != normalize_phone(phone):
        _record_failure(key)
        _record_address_failure(address_key)
        return
    with transaction.atomic():
        user = accounts_ensure_for_members(actor=None, members=[member])[member.pk]
        code = _new_sms_code()
        _issue(user=user, channel=ActivationChannel.SMS, created_by=None, validity=_sms_validity(), code=code)
    sms_send(
        phone=member.phone,
        text=_("Sổ tay: your activation code is %(code)s. It expires in %(minutes)s minutes.")
        % {"code": code, "minutes": int(_sms_validity().total_seconds() // 60)},
    )


# A supporter with the member present


@transaction.atomic
def account_activate_by_supporter(*, actor: User, team, member: Member, password: str, has_consent: bool, place: str):
    """The member, beside a supporter, chooses a password on the supporter's phone. Recorded as a help session."""
    from rollout.choices import HelpOutcome, HelpTopic
    from rollout.services import help_session_log

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


# Use of the account


def account_used(*, user: User) -> AccountUse:
    now = timezone.now()
    use, _created = AccountUse.objects.get_or_create(user=user)
    use.first_used_at = use.first_used_at or now
    use.last_used_at = now
    use.save(update_fields=["first_used_at", "last_used_at"])
    return use


@transaction.atomic
def app_installed_record(*, user: User) -> AccountUse:
    """The installed app reports itself once; the first date is kept."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    use, _created = AccountUse.objects.select_for_update().get_or_create(user=user)
    if use.app_installed_at is None:
        use.app_installed_at = timezone.now()
        use.save(update_fields=["app_installed_at"])
    return use


def slip_addresses(*, host: str) -> dict:
    """What a printed slip tells the member to open: the address the slip was printed from (the same host as its
    QR code, not settings.SITE_URL, whose default is the development server), without "https://" so that it is
    short to type, and the activation page under it."""
    return {"site_address": host, "activate_address": host + reverse("accounts:activate")}
