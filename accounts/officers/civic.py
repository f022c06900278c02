"""Roles outside the party tree (accounts.CivicRole): a People's Committee's Culture–Society officer, a village head,
an agency's contact. Granted and revoked by those who grant roles in the party units serving the place (or an area
above it), logged like party roles. A person new to Sổ tay gets an account with a first-sign-in code, as officers
from a file do.
"""

import dataclasses
import datetime

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import ChangeAction
from audit.services import creation_log, model_update
from common.freshness import changed, user_token
from orgunits.choices import RESIDENCE_AREA_KINDS, OrganisationKind
from orgunits.models import AdminArea, Organisation

from ..activation_codes import slip_code_issue
from ..choices import CIVIC_ROLES_ON_AREAS, CivicRoleKind, Permission
from ..models import CivicRole, User
from ..registration import user_create
from ..scoping import forget_cached_scope, has_area_permission
from ..selectors import account_named

# The kinds of organisation each organisation role is held on.
CIVIC_ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    CivicRoleKind.CULTURE_SOCIETY_OFFICER: frozenset({OrganisationKind.PEOPLES_COMMITTEE, OrganisationKind.OFFICE}),
    CivicRoleKind.ORGANISATION_CONTACT: frozenset(
        {
            OrganisationKind.AGENCY,
            OrganisationKind.SCHOOL,
            OrganisationKind.ENTERPRISE,
            OrganisationKind.MASS_ORGANISATION,
        }
    ),
}


@dataclasses.dataclass(frozen=True)
class CivicGrant:
    role: CivicRole
    # The first-sign-in code of an account created for the grant (shown once), or "".
    code: str = ""
    code_expires_at: datetime.datetime | None = None


def _place_area(place) -> AdminArea:
    return place.area if isinstance(place, Organisation) else place


def _check_place(kind: str, place) -> None:
    if kind in CIVIC_ROLES_ON_AREAS:
        if not isinstance(place, AdminArea) or place.kind not in RESIDENCE_AREA_KINDS:
            raise ValidationError({"place": _("A village head's role is held on a village or residential group.")})
    elif not isinstance(place, Organisation) or place.kind not in CIVIC_ROLE_ORGANISATION_KINDS[kind]:
        raise ValidationError(
            {
                "place": _("A %(role)s is held on: %(kinds)s.")
                % {
                    "role": CivicRoleKind(kind).label.lower(),
                    "kinds": ", ".join(
                        str(OrganisationKind(k).label).lower() for k in sorted(CIVIC_ROLE_ORGANISATION_KINDS[kind])
                    ),
                }
            }
        )
    if not place.is_open:
        raise ValidationError({"place": _("“%(name)s” is closed.") % {"name": place.name}})


def _require_manager(actor: User, place) -> None:
    if actor is not None and not has_area_permission(actor, Permission.ROLE_MANAGE, _place_area(place)):
        raise PermissionDenied(_("You may not grant roles for this place."))


@transaction.atomic
def civic_role_grant(
    *,
    actor: User,
    kind: str,
    place,
    username: str,
    full_name: str = "",
    phone: str = "",
    reason: str = "",
) -> CivicGrant:
    """Give the account named by `username` (or its phone) the role `kind` on `place` (an organisation or a
    village). When no account has that name, one is created from `full_name` and `phone`, with a slip code."""
    if kind not in CivicRoleKind.values:
        raise ValidationError({"kind": _("Choose a role.")})
    _check_place(kind, place)
    _require_manager(actor, place)
    user = account_named(actor, username)
    code, expires_at = "", None
    if user is None:
        username = (username or "").strip()
        errors = {}
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            errors["username"] = error.messages
        if not username:
            errors["username"] = [_("The username is missing.")]
        if not full_name.strip():
            errors["full_name"] = [_("No account has this username: give the full name to create one.")]
        if errors:
            raise ValidationError(errors)
        family, _space, given = full_name.strip().rpartition(" ")
        user = user_create(
            actor=actor, username=username, password=None, first_name=given, last_name=family, phone=phone or None,
            reason=reason,
        )  # fmt: skip
        code, expires_at = slip_code_issue(actor=actor, user=user)
    place_field = "area" if isinstance(place, AdminArea) else "organisation"
    held = ValidationError({"username": _("%(user)s already holds this role here.") % {"user": user}})
    try:
        # A savepoint: a second tap racing the first meets the unique constraint, not a broken transaction.
        with transaction.atomic():
            role, created = CivicRole.objects.get_or_create(user=user, kind=kind, ends_on=None, **{place_field: place})
    except IntegrityError:
        raise held from None
    if not created:
        raise held
    creation_log(actor=actor, obj=role, reason=reason, action=ChangeAction.ROLE_GRANT)
    forget_cached_scope(user)
    changed(user_token(user.pk))
    return CivicGrant(role=role, code=code, code_expires_at=expires_at)


@transaction.atomic
def civic_role_revoke(*, actor: User, role: CivicRole, reason: str = "") -> CivicRole:
    """The role stops today; its history stays."""
    role = (
        CivicRole.objects.select_for_update(of=("self",)).select_related("organisation__area", "area").get(pk=role.pk)
    )
    _require_manager(actor, role.place)
    if role.ends_on is not None:
        raise ValidationError(_("This role has already ended."))
    model_update(
        role,
        data={"ends_on": timezone.localdate()},
        actor=actor,
        action=ChangeAction.ROLE_REVOKE,
        reason=reason,
        clean=False,
        update_fields=True,
    )
    forget_cached_scope(role.user)
    changed(user_token(role.user_id))
    return role
