"""Two-factor sign-in: a time-based code from an authenticator app (TOTP), with one-time recovery codes.

Required for the roles that reach many members' records (settings.TWO_FACTOR_REQUIRED_ROLES), optional
for everyone else. A session counts as verified once django_otp.login() has recorded the device in it.
"""

import base64
import secrets

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.choices import ChangeAction
from audit.services import change_log, model_update, snapshot

from ..choices import Permission
from ..models import ApiToken, DevicePin, RoleAssignment, User, hash_token
from ..scoping import held_role_kinds, require_unit_permission

RECOVERY_CODE_COUNT = 10
# Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L): read off paper by elderly users.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_CODE_LENGTH = 10


def two_factor_required(user) -> bool:
    """Whether `user` must pass a second step to use the site: by role, or because they turned it on."""
    if not user.is_authenticated:
        return False
    if user.two_factor_enabled:
        return True
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    return user.is_superuser or bool(held_role_kinds(user) & set(settings.TWO_FACTOR_REQUIRED_ROLES))


def two_factor_mandatory(user) -> bool:
    """Whether the user's roles oblige them to keep two-factor sign-in on (they may not turn it off)."""
    if not settings.TWO_FACTOR_ENFORCED:
        return False
    return user.is_superuser or bool(held_role_kinds(user) & set(settings.TWO_FACTOR_REQUIRED_ROLES))


def is_verified(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def _recovery_key(code: str) -> str:
    """What is stored for a recovery code: a hash (StaticToken holds up to 16 characters), never the code."""
    normalised = "".join(code.split()).replace("-", "").upper()
    return hash_token(normalised)[:16]


def _new_recovery_code() -> str:
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a setup page shows; made on first view, kept across reloads until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app that cannot scan the QR code."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    # A data: URI keeps the secret out of any URL or server log and is allowed by the Content-Security-Policy.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    device.token_set.bulk_create([device.token_set.model(device=device, token=_recovery_key(code)) for code in codes])
    return codes


def _log_user_change(*, actor: User, user: User, before: dict, reason: str) -> None:
    change_log(actor=actor, obj=user, action=ChangeAction.UPDATE, before=before, after=snapshot(user), reason=reason)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-factor sign-in on with `device` once the app shows the right code. Replaces any earlier
    device and recovery codes; returns the new recovery codes, which are shown once and stored only hashed."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(_digits(code)):
        raise ValidationError(_("That code is not right. Check the phone's clock and type the code showing now."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    user = User.objects.select_for_update().get(pk=user.pk)
    reason = _("Two-factor sign-in set up")
    model_update(user, data={"two_factor_enabled": True}, actor=user, reason=reason, clean=False, update_fields=True)
    return codes


def _digits(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


def two_factor_check(*, user: User, code: str):
    """The device that accepts `code` (a code from the app, or an unused recovery code), or None.

    Each device slows down wrong guesses on its own (django-otp's throttling: the wait doubles with each
    failure); a throttled device refuses even the right code, and ValidationError tells the user to wait."""
    code = (code or "").strip()
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        is_app_code = len(_digits(code)) == len(code.replace(" ", "")) and totp is not None
        device, token = (totp, _digits(code)) if is_app_code else (recovery, _recovery_key(code))
        if device is None or not code:
            return None
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(_throttled_message(device, details))
        if device.verify_token(token):
            return device
    return None


def _throttled_message(device, details) -> str:
    failures = (details or {}).get("failure_count", 0)
    wait = device.get_throttle_factor() * (2 ** (failures - 1)) if failures else 0
    if device.throttling_failure_timestamp and wait:
        remaining = wait - (timezone.now() - device.throttling_failure_timestamp).total_seconds()
        seconds = max(1, int(remaining + 0.999))
        return ngettext(
            "Too many wrong codes. Wait %(seconds)s second and try again.",
            "Too many wrong codes. Wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("Too many wrong codes. Wait a moment and try again.")


def recovery_codes_left(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    if not user.two_factor_enabled:
        raise ValidationError(_("Two-factor sign-in is not on."))
    codes = _recovery_codes_replace(user)
    _log_user_change(actor=user, user=user, before=snapshot(user), reason=_("New recovery codes made"))
    return codes


@transaction.atomic
def two_factor_turn_off(*, actor: User, user: User) -> User:
    """Remove the user's devices. Refused for users whose roles require two-factor sign-in."""
    if two_factor_mandatory(user):
        raise ValidationError(_("Your role requires two-factor sign-in: it cannot be turned off."))
    user = User.objects.select_for_update().get(pk=user.pk)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    reason = _("Two-factor sign-in turned off")
    model_update(user, data={"two_factor_enabled": False}, actor=actor, reason=reason, clean=False, update_fields=True)
    return user


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, reason: str) -> User:
    """For a user who lost both the phone and the recovery codes: remove the devices and end every session, so
    the next sign-in sets up a new device. Only someone who manages roles over all the user's units (or the
    system itself, `actor=None`) may do it, after checking who is asking."""
    if not reason.strip():
        raise ValidationError(_("Say why, and how you checked who asked."))
    for assignment in RoleAssignment.objects.active().filter(user=user).select_related("unit"):
        require_unit_permission(actor, Permission.ROLE_MANAGE, assignment.unit)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.two_factor_enabled = False
    user.session_generation += 1
    user.save(update_fields=["two_factor_enabled", "session_generation"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    DevicePin.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _log_user_change(
        actor=actor, user=user, before=before, reason=_("Two-factor sign-in reset: %(reason)s") % {"reason": reason}
    )
    return user


def two_factor_sign_in(request, device) -> None:
    """Mark the session as having passed the second step."""
    django_otp.login(request, device)


@transaction.atomic
def sign_out_everywhere(*, actor: User, user: User, keep_device_key: str = "") -> User:
    """End every session of `user` (browsers and phones), revoke every API token, and stop the PINs of every
    phone but the one holding `keep_device_key`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user)
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    now = timezone.now()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    DevicePin.objects.filter(user=user, revoked_at__isnull=True).exclude(
        device_key_hash=hash_token(keep_device_key) if keep_device_key else ""
    ).update(revoked_at=now)
    _log_user_change(actor=actor, user=user, before=before, reason=_("Signed out on every device"))
    return user
