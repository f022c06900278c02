"""Sign-in by username, phone number or citizen ID, with one password; the key that sign-in throttles count by."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from common.text import canonical_identifier, is_number_identifier

from .models import User


def find_user_by_identifier(identifier: str, *, with_card_number: bool = False) -> User | None:
    """The one user that `identifier` names (in any spelling), or None if it names nobody or more than one.

    `with_card_number`: a party card number names its member's account too (activation; sign-in uses the
    username, which is the card number for members' accounts)."""
    key = canonical_identifier(identifier)
    if not key:
        return None
    condition = Q(username__iexact=key)
    if is_number_identifier(key):
        condition |= Q(phone=key) | Q(member__citizen_id=key) | Q(member__phone=key, phone__isnull=True)
        if with_card_number:
            condition |= Q(member__card_number=key)
    matches = list(User.objects.filter(condition).select_related("member")[:2])
    return matches[0] if len(matches) == 1 else None


def throttle_key(identifier: str, *, with_card_number: bool = False) -> str:
    """What a throttle counts failures by: the account the identifier names, whatever its spelling, or the
    identifier's one spelling when it names no account (so guessing at unknown names is throttled too)."""
    return throttle_key_of(find_user_by_identifier(identifier, with_card_number=with_card_number), identifier)


def throttle_key_of(user: User | None, identifier: str) -> str:
    """throttle_key for a caller that has already looked the identifier up."""
    return user.username if user is not None else canonical_identifier(identifier)[:150]


def lockout_username(request, credentials: dict | None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: failures count per resolved account, not per typed string."""
    identifier = (credentials or request.POST).get("username")
    return throttle_key(identifier or "")


def _address_key(request) -> str | None:
    # axes' backend runs first and records the client's address on the request.
    address = getattr(request, "axes_ip_address", None)
    return f"sign-in-failures:{address}" if address else None


def _address_failure_record(key: str) -> None:
    timeout = int(settings.AXES_COOLOFF_TIME * 3600)
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)


class IdentifierBackend(ModelBackend):
    """Besides axes' count per account, failures are counted per source address with a much higher limit
    (ADDRESS_FAILURE_LIMIT): one address guessing across many accounts is stopped, while a commune office or
    a cell meeting signing in behind one shared address is not shut out by a few mistyped passwords."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        address_key = _address_key(request)
        if address_key and cache.get(address_key, 0) >= settings.ADDRESS_FAILURE_LIMIT:
            # The axes middleware answers a request marked so with the lock-out page (429 JSON on the API).
            request.axes_locked_out = True
            raise PermissionDenied
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the same time as a real check, so timing does not tell which identifiers exist.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        if address_key:
            _address_failure_record(address_key)
        return None
