"""Users, roles and activation."""

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_update, snapshot
from common.bulk import bulk_insert
from common.freshness import changed, unit_token, user_token
from common.text import normalize_phone
from members.choices import CLOSED_STATUSES
from members.models import Member
from members.services import require_phone_free
from rollout import counters as rollout_counters

from .choices import ActivationChannel, Permission, RoleKind
from .models import AccountUse, ApiToken, RoleAssignment, User, hash_token
from .scoping import forget_cached_scope, require_unit_permission
from .security.two_factor import two_factor_required

logger = logging.getLogger("sotay.security")


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
    # The phone signs in too: stored in its one spelling, and refused if another record or account has it.
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


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment, reason: str = "") -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    require_unit_permission(actor, Permission.ROLE_MANAGE, assignment.unit)
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
    moved_member_role = any(role.role == RoleKind.MEMBER and role.unit_id == from_unit.pk for role in ending)
    if to_unit is not None and moved_member_role:
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, unit=to_unit, role=RoleKind.MEMBER, ends_on=None
        )
        if created:
            creation_log(actor=actor, obj=assignment, reason=reason, unit=to_unit, action=ChangeAction.ROLE_GRANT)
    forget_cached_scope(user)
    changed(user_token(user.pk), *(unit_token(role.unit.path) for role in ending))


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
    from audit.models import ChangeLog
    from audit.services import build_change_log

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
