"""Sign-in by username, phone number or citizen ID, with one password."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from members.validation import normalize_phone

from .models import User


def find_user_by_identifier(identifier: str) -> User | None:
    """The one user that `identifier` names, or None if it names nobody or more than one."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    condition = Q(username__iexact=identifier)
    compact = identifier.replace(" ", "")
    if compact.lstrip("+").replace(".", "").isdigit():
        phone = normalize_phone(compact)
        condition |= Q(phone=phone) | Q(member__citizen_id=compact) | Q(member__phone=phone, phone__isnull=True)
    matches = list(User.objects.filter(condition)[:2])
    return matches[0] if len(matches) == 1 else None


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_identifier(username)
        if user is None:
            # Spend the same time as a real check, so timing does not tell which identifiers exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
