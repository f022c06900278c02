"""Users, roles, the use of an account, API tokens, password and language. (Activating a member's account is the
rollout's: rollout/activation/services.py.)"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_update, snapshot
from common.freshness import changed, unit_token, user_token

from .choices import Permission, RoleKind
from .models import AccountUse, ApiToken, RoleAssignment, User, hash_token
from .scoping import forget_cached_scope, require_unit_permission
from .security.two_factor import two_factor_required

logger = logging.getLogger("sotay.security")


@transaction.atomic
def role_grant(*, actor: User, user: User, unit, role: str, reason: str = "") -> RoleAssignment:
    require_unit_permission(actor, Permission.ROLE_MANAGE, unit)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role, ends_on=None)
    if created:
        creation_log(actor=actor, obj=assignment, reason=reason, unit=unit, action=ChangeAction.ROLE_GRANT)
    forget_cached_scope(user)
    # The holder's own pages, and the homes listing the unit's secretaries.
    changed(user_token(user.pk), unit_token(unit.path))
    return assignment


def _role_end(*, actor: User, assignment: RoleAssignment, reason: str) -> None:
    """The role stops today (its last day was yesterday), logged as a revocation."""
    model_update(
        assignment,
        data={"ends_on": timezone.localdate()},
        actor=actor,
        action=ChangeAction.ROLE_REVOKE,
        reason=reason,
        unit=assignment.unit,
        clean=False,
        update_fields=True,
    )


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment, reason: str = "") -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    require_unit_permission(actor, Permission.ROLE_MANAGE, assignment.unit)
    _role_end(actor=actor, assignment=assignment, reason=reason)
    forget_cached_scope(assignment.user)
    changed(user_token(assignment.user_id), unit_token(assignment.unit.path))
    return assignment


def roles_follow_transfer(*, actor: User, user: User, from_unit, to_unit, reason: str) -> None:
    """A member's roles when their party activity moves (called by the transfers services, which decided who may
    confirm the move): every role on a unit that does not hold `to_unit` ends today (all of them when `to_unit` is
    None: out of Sổ tay), and the plain member role on the old cell becomes the same role on the new one."""
    open_roles = (
        RoleAssignment.objects.select_for_update().select_related("unit").filter(user=user, ends_on__isnull=True)
    )
    ending = [role for role in open_roles if to_unit is None or not to_unit.path.startswith(role.unit.path)]
    for assignment in ending:
        _role_end(actor=actor, assignment=assignment, reason=reason)
    moved_member_role = any(role.role == RoleKind.MEMBER and role.unit_id == from_unit.pk for role in ending)
    if to_unit is not None and moved_member_role:
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, unit=to_unit, role=RoleKind.MEMBER, ends_on=None
        )
        if created:
            creation_log(actor=actor, obj=assignment, reason=reason, unit=to_unit, action=ChangeAction.ROLE_GRANT)
    forget_cached_scope(user)
    changed(user_token(user.pk), *(unit_token(role.unit.path) for role in ending))


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


def api_token_create(*, user: User, name: str, second_factor: bool = False) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored and cannot be shown again.

    `second_factor`: the user passed the second step to get it; an account that requires two factors accepts
    no other token."""
    key = ApiToken.generate_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_token(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
        second_factor=second_factor,
    )
    return token, key


class ApiTokenRefused(Exception):
    """A known token that no longer works; the message tells the client why."""


def api_token_authenticate(key: str) -> User | None:
    """The user of a working token; None for a key that is no token. Raises ApiTokenRefused for a token that is
    revoked, expired, or was issued without the second step the account now requires (checked on every call:
    enforcement or a role that requires two factors may have come after the token)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key or "")).first()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at <= timezone.now():
        logger.info("API token %s of user %s refused: expired", token.prefix, token.user_id)
        raise ApiTokenRefused(_("This API token has expired. Obtain a new one."))
    if token.revoked_at is not None:
        logger.info("API token %s of user %s refused: revoked", token.prefix, token.user_id)
        raise ApiTokenRefused(_("This API token has been revoked. Obtain a new one."))
    if not token.second_factor and two_factor_required(token.user):
        # Revoked (and so logged once), not refused on every call: the token can never meet the requirement.
        api_token_revoke(actor=None, token=token, reason=_("Issued without the second step the account now requires"))
        raise ApiTokenRefused(
            _("Your account now requires two-factor sign-in. Obtain a new token with the code from your app.")
        )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, reason: str) -> ApiToken:
    """Stop a token working from now on (a lost phone, a finished integration). The row stays for the record,
    and the change log says who revoked it and why."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        data = {"revoked_at": timezone.now()}
        model_update(token, data=data, actor=actor, reason=reason, clean=False, update_fields=True)
    return token


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """Set a new password the user chose. Every other session ends with the old password's hash."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    change_log(
        actor=user,
        obj=user,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(user),
        reason=_("Password changed"),
    )
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Keep the interface language the user chose on the account, so that every device shows it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.language == language:
        return user
    before = snapshot(user)
    user.language = language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language"])
    reason = _("Interface language chosen")
    change_log(actor=user, obj=user, action=ChangeAction.UPDATE, before=before, after=snapshot(user), reason=reason)
    return user
