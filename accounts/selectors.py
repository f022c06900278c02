"""Reads of users and their roles."""

from django.db.models import Q, QuerySet

from common.text import PHONE_RE, canonical_identifier, normalize_phone
from orgunits.choices import RESIDENCE_AREA_KINDS
from orgunits.models import AdminArea, Organisation, Unit

from .choices import CIVIC_ROLE_PERMISSIONS, ROLE_PERMISSIONS, Permission
from .models import ApiToken, CivicRole, RoleAssignment, User
from .scoping import restrict_areas, units_q


def user_active_roles(*, user) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.active().filter(user=user).select_related("unit").order_by("unit__path", "role")


def role_holders(units, permission: str) -> QuerySet[User]:
    """Active users holding `permission` through a role granted on one of `units` itself (not above)."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]
    assignments = RoleAssignment.objects.active().filter(unit__in=units, role__in=roles)
    return User.objects.filter(pk__in=assignments.values("user"), is_active=True)


def civic_role_holders(places, permission: str, *, field: str = "organisation") -> QuerySet[User]:
    """Active users holding `permission` through a civic role on one of `places` (organisations, or villages with
    field="area"), as `role_holders` for party units."""
    kinds = [kind for kind, permissions in CIVIC_ROLE_PERMISSIONS.items() if permission in permissions]
    roles = CivicRole.objects.active().filter(**{f"{field}__in": places}, kind__in=kinds)
    return User.objects.filter(pk__in=roles.values("user"), is_active=True)


def nearest_role_holders(unit: Unit, permission: str) -> QuerySet[User]:
    """Who to tell about work waiting at `unit`: the holders of `permission` on the unit itself, else on the
    nearest unit above that has any. Not everyone up the tree."""
    for end in range(len(unit.path), 0, -Unit.steplen):
        users = role_holders(Unit.objects.filter(path=unit.path[:end]), permission)
        if users.exists():
            return users
    return User.objects.none()


def user_api_tokens(*, user) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first: nobody sees or revokes another's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


# Roles outside the party (accounts/officers/civic.py writes them)


def places_managed_by(actor: User) -> QuerySet[AdminArea]:
    """The areas whose civic roles `actor` may grant: those served by units where they grant roles, and below."""
    return restrict_areas(AdminArea.objects.all(), actor, Permission.ROLE_MANAGE)


def civic_roles_visible_to(actor: User) -> QuerySet[CivicRole]:
    """The open civic roles on places `actor` may grant roles for, newest first."""
    areas = places_managed_by(actor).values("pk")
    return (
        CivicRole.objects.filter(Q(area__in=areas) | Q(organisation__area__in=areas), ends_on__isnull=True)
        .select_related("user", "organisation__area", "area")
        .order_by("-starts_on", "-id")
    )


def place_named(actor: User, code: str):
    """The organisation or the village / residential group with this code among the places `actor` grants roles
    for, or None."""
    code = (code or "").strip()
    areas = places_managed_by(actor)
    organisation = Organisation.objects.filter(code=code, area__in=areas.values("pk")).first()
    if organisation is not None:
        return organisation
    return areas.filter(code=code, kind__in=RESIDENCE_AREA_KINDS).first()


def place_suggestions(actor: User, limit: int = 1000) -> list[tuple[str, str]]:
    """(code, name) of the open organisations and villages the actor grants roles for: the form's suggestions."""
    areas = places_managed_by(actor)
    organisations = Organisation.objects.filter(area__in=areas.values("pk"), closed_on__isnull=True).order_by("name")
    villages = areas.filter(kind__in=RESIDENCE_AREA_KINDS, closed_on__isnull=True).order_by("path")
    found = list(organisations.values_list("code", "name")[:limit])
    return found + list(villages.values_list("code", "name")[: max(limit - len(found), 0)])


def account_named(actor: User, identifier: str) -> User | None:
    """The account whose username or phone is `identifier`, or None. A member's account counts only when the member
    is in a unit where `actor` grants roles: a number typed at random must not put a stranger's name on the page."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    condition = Q(username__iexact=canonical_identifier(identifier))
    phone = normalize_phone(identifier)
    if PHONE_RE.match(phone):
        condition |= Q(phone=phone)
    accounts = User.objects.filter(condition, is_active=True)
    if actor is not None:
        accounts = accounts.filter(
            Q(member__isnull=True) | units_q(actor, Permission.ROLE_MANAGE, via="member__unit__")
        )
    return accounts.first()
