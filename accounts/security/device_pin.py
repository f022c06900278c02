"""Signing in with a 6-digit PIN on one's own phone, for members who find passwords hard.

A PIN alone would be guessable (a million values; people pick birthdays), so it works only on the phone where
it was chosen: that phone keeps a random device key in a long-lived cookie, and the PIN is checked against the
key's entry. Guessing therefore needs the phone; five wrong PINs revoke the entry, and the password is needed
again. Users who must use two-factor sign-in cannot use a PIN instead.
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.choices import ChangeAction
from audit.services import change_log, snapshot

from ..models import DevicePin, User, hash_token
from .two_factor import two_factor_required

DEVICE_COOKIE = "sotay_device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
MAX_FAILURES = 5
PIN_LENGTH = 6


def device_key_hash(device_key: str) -> str:
    return hash_token(device_key or "")


def _is_weak(pin: str, user: User) -> bool:
    """Same digit six times, a run up or down, or digits of the member's own birth date, phone or ID."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        return True
    guessable = []
    if user.member_id:
        member = user.member
        if member.date_of_birth:
            born = member.date_of_birth
            guessable += [f"{born:%d%m%y}", f"{born:%y%m%d}", f"{born:%m%d%y}", f"{born:%d%m}{born.year}"[:6]]
        guessable += [value[-PIN_LENGTH:] for value in (member.phone, member.citizen_id, member.card_number) if value]
    if user.phone:
        guessable.append(user.phone[-PIN_LENGTH:])
    return pin in guessable


def _check_new_pin(user: User, pin: str, pin_again: str) -> None:
    if two_factor_required(user):
        raise ValidationError(_("Your account uses two-factor sign-in: a PIN cannot replace it."))
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        raise ValidationError({"pin": _("The PIN is 6 digits.")})
    if pin != pin_again:
        raise ValidationError({"pin_again": _("The two PINs are not the same.")})
    if _is_weak(pin, user):
        raise ValidationError(
            {"pin": _("This PIN is too easy to guess (repeated or running digits, your birth date or phone number).")}
        )


@transaction.atomic
def device_pin_set(*, user: User, pin: str, pin_again: str, device_key: str = "") -> tuple[DevicePin, str]:
    """Let `user` sign in with `pin` on this phone. Returns the entry and the device key for the cookie: the
    phone's existing key when it has one (several members of a family may share a phone), else a new one."""
    _check_new_pin(user, pin, pin_again)
    device_key = device_key or secrets.token_urlsafe(32)
    key_hash = device_key_hash(device_key)
    DevicePin.objects.filter(user=user, device_key_hash=key_hash, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    entry = DevicePin.objects.create(user=user, device_key_hash=key_hash, pin_hash=make_password(pin))
    change_log(
        actor=user,
        obj=user,
        action=ChangeAction.UPDATE,
        before=snapshot(user),
        after=snapshot(user),
        reason=_("PIN set for signing in on a phone"),
    )
    return entry, device_key


def device_pin_users(*, device_key: str) -> list[User]:
    """Who can sign in with a PIN on the phone holding `device_key` (for its sign-in page)."""
    if not device_key:
        return []
    entries = DevicePin.objects.usable().filter(device_key_hash=device_key_hash(device_key)).select_related("user")
    return sorted((entry.user for entry in entries), key=lambda user: user.get_full_name() or user.username)


def device_pin_sign_in(*, device_key: str, user_id: int, pin: str) -> User:
    """The user, if `pin` is right for them on this phone; otherwise ValidationError saying how many tries are
    left, or that the PIN no longer works."""
    with transaction.atomic():
        entry = (
            DevicePin.objects.usable()
            .select_for_update()
            .select_related("user")
            .filter(device_key_hash=device_key_hash(device_key), user_id=user_id)
            .first()
        )
        if entry is None or two_factor_required(entry.user):
            raise ValidationError(_("Sign in with your password: no PIN is set for you on this phone."))
        if check_password(pin or "", entry.pin_hash):
            entry.failures = 0
            entry.last_used_at = timezone.now()
            entry.save(update_fields=["failures", "last_used_at"])
            return entry.user
        entry.failures += 1
        if entry.failures >= MAX_FAILURES:
            entry.revoked_at = timezone.now()
        entry.save(update_fields=["failures", "revoked_at"])
        left = MAX_FAILURES - entry.failures
    if left <= 0:
        raise ValidationError(
            _("Too many wrong PINs: the PIN no longer works. Sign in with your password, then choose a new PIN.")
        )
    raise ValidationError(
        ngettext(
            "The PIN is not right. %(left)s try left.",
            "The PIN is not right. %(left)s tries left.",
            left,
        )
        % {"left": left}
    )


def cookie_options() -> dict:
    return {
        "max_age": DEVICE_COOKIE_AGE,
        "httponly": True,
        "secure": settings.SESSION_COOKIE_SECURE,
        "samesite": "Lax",
    }
