"""Creating accounts. A phone signs in and activates one account, so a new account's phone is checked against every
member record and account (`members.services.require_phone_free`). That check reads the member registry, which sits
above accounts' core: this module, with the officers' accounts that use it, sits above members in the layers
(pyproject.toml), while the rest of accounts sits below."""

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import creation_log
from common.text import normalize_phone
from members.services import require_phone_free

from .models import User


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    phone: str | None = None,
    member=None,
    reason: str = "",
) -> User:
    """A new account, a member's (`member`) or not. The phone signs in too: stored in its one spelling, and refused
    if another record or account has it."""
    phone = normalize_phone(phone or "") or None
    require_phone_free(phone=phone, member=member)
    user = User(username=username.strip(), first_name=first_name, last_name=last_name, phone=phone, member=member)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    creation_log(actor=actor, obj=user, reason=reason)
    return user


def phone_is_free(*, phone: str) -> bool:
    """Whether no member record and no account has `phone` (canonical form): a file's rows are checked with it
    before any account is created, so that each taken phone is named by its row."""
    try:
        require_phone_free(phone=phone, member=None)
    except ValidationError:
        return False
    return True
