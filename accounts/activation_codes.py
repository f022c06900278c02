"""One-time first-sign-in codes of an account (printed slips, SMS, a secretary's reset) and the throttle on wrong
codes. Officers' accounts get their codes here; the members' side of activation (accounts waiting for members,
a cell's slips, the SMS identity check, the pages) is the rollout's, in rollout/activation/.

Codes are stored as a keyed hash (HMAC with the secret key), expire, and work once. Wrong codes are
counted per account, whichever of its identifiers (in whatever spelling) was typed, or per identifier when it
names nobody; after `ACTIVATION_FAILURE_LIMIT` that account is locked for `ACTIVATION_LOCKOUT_MINUTES`,
whether or not the identifier names anyone, so the answers tell nothing.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .backends import find_user_by_identifier, throttle_key_of
from .choices import ActivationChannel
from .models import ActivationCode, ActivationThrottle, User

# No 0/O, 1/I/L: codes are read off paper by older members.
SLIP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SLIP_CODE_LENGTH = 10


def _failure_limit() -> int:
    return getattr(settings, "ACTIVATION_FAILURE_LIMIT", 5)


def _lockout() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "ACTIVATION_LOCKOUT_MINUTES", 15))


def _slip_validity() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "ACTIVATION_SLIP_DAYS", 30))


def sms_validity() -> datetime.timedelta:
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


def slip_code_issue(
    *, actor: User, user: User, channel: str = ActivationChannel.SLIP_CODE
) -> tuple[str, datetime.datetime]:
    """A new first-sign-in code for `user`, to print on a slip (it replaces any earlier one): (code, valid until).
    `channel`: a secretary's reset is a slip too, recorded as such."""
    code = _new_slip_code()
    issued = _issue(user=user, channel=channel, created_by=actor, validity=_slip_validity(), code=code)
    return code, issued.expires_at


def sms_code_issue(*, user: User) -> str:
    """A new 6-digit code for `user`, to send by SMS (it replaces any earlier one); valid for `sms_validity()`."""
    code = _new_sms_code()
    _issue(user=user, channel=ActivationChannel.SMS, created_by=None, validity=sms_validity(), code=code)
    return code


# The throttle on wrong codes


def _locked_message() -> str:
    return _("Too many wrong codes. Try again in %(minutes)s minutes.") % {
        "minutes": int(_lockout().total_seconds() // 60)
    }


def require_not_locked(key: str) -> None:
    if ActivationThrottle.objects.filter(identifier=key, locked_until__gt=timezone.now()).exists():
        raise ValidationError(_locked_message())


def address_key(address: str | None) -> str | None:
    return f"address:{address}" if address else None


def require_address_not_locked(address_key: str | None) -> None:
    if address_key:
        require_not_locked(address_key)


def failure_record(key: str, *, limit: int | None = None) -> None:
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


def address_failure_record(address_key: str | None) -> None:
    """Wrong codes are also counted per source address, with the much higher ADDRESS_FAILURE_LIMIT: one address
    trying codes across many accounts is stopped, a support team activating a village from one phone is not."""
    if address_key:
        failure_record(address_key, limit=settings.ADDRESS_FAILURE_LIMIT)


def activation_code_check(*, identifier: str, code: str, address: str | None = None) -> ActivationCode:
    """The usable code `code` of the account `identifier` names, or ValidationError (counted against the account
    and the source `address`)."""
    user = find_user_by_identifier(identifier, with_card_number=True)
    key = throttle_key_of(user, identifier)
    source_key = address_key(address)
    require_address_not_locked(source_key)
    require_not_locked(key)
    if user is not None:
        for candidate in ActivationCode.objects.usable().filter(user=user):
            if constant_time_compare(candidate.code_hash, code_hash(user.pk, code)):
                ActivationThrottle.objects.filter(identifier=key).update(failures=0)
                return candidate
    failure_record(key)
    address_failure_record(source_key)
    raise ValidationError(_("This code is not right, has expired or has already been used."))
