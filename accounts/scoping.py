"""The one place that decides which units, areas and members a user may reach.

A role granted on a unit covers the unit's whole subtree. With materialised paths, "in the
subtree of X" is `path LIKE 'X.path%'`, one indexed prefix filter per granted unit.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from common import freshness
from common.memo import forget, memoized_on
from orgunits.models import AdminArea, Unit

from .choices import CIVIC_ROLE_PERMISSIONS, ROLE_PERMISSIONS, RoleKind
from .models import CivicRole, RoleAssignment

# The prefix of the per-request memo keys (common.memo) of whatever is read from the user's roles or own record.
SCOPE_MEMO = "scope:"


def _outermost(paths: set[str]) -> list[str]:
    """Drop paths that lie inside another path of the set: their subtree is already covered."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def _read_role_summary(user) -> dict:
    # One query for all the user's roles, party and civic: a page asks about several permissions (the menu alone,
    # six). A civic role on an office reaches its People's Committee's campaigns too (Organisation.acts_for).
    no_id = Value(None, output_field=IntegerField())
    party = (
        RoleAssignment.objects.active().filter(user=user).values_list("role", "unit__path", no_id, no_id, Value(False))
    )
    # A role on a place that has closed stops working with it. Villages are kept by id: they have no subtree, and
    # an id stays when communes merge and paths change.
    civic = (
        CivicRole.objects.active()
        .filter(user=user)
        .filter(Q(organisation__isnull=True) | Q(organisation__closed_on__isnull=True))
        .filter(Q(area__isnull=True) | Q(area__closed_on__isnull=True))
        .annotate(area_key=Cast("area_id", output_field=CharField()))
        .values_list("kind", "area_key", "organisation_id", "organisation__parent_id", Value(True))
    )
    roles: set[tuple[str, str]] = set()
    kinds: set[str] = set()
    paths_by_permission: dict[str, set[str]] = {}
    organisations_by_permission: dict[str, set[int]] = {}
    areas_by_permission: dict[str, set[int]] = {}
    for kind, path, organisation_id, acts_for_id, is_civic in party.union(civic, all=True):
        kinds.add(kind)
        if not is_civic:
            roles.add((kind, path))
            for granted in ROLE_PERMISSIONS.get(kind, ()):
                paths_by_permission.setdefault(granted, set()).add(path)
            continue
        for granted in CIVIC_ROLE_PERMISSIONS.get(kind, ()):
            if path:
                areas_by_permission.setdefault(granted, set()).add(int(path))
            else:
                organisations_by_permission.setdefault(granted, set()).update({organisation_id, acts_for_id} - {None})
    return {
        "roles": tuple(sorted(roles)),
        "kinds": frozenset(kinds),
        "paths": {granted: _outermost(paths) for granted, paths in paths_by_permission.items()},
        "organisations": {granted: frozenset(ids) for granted, ids in organisations_by_permission.items()},
        "area_ids": {granted: frozenset(ids) for granted, ids in areas_by_permission.items()},
    }


def _role_summary(user) -> dict:
    """The user's active roles: the (role, unit path) pairs, the kinds held, and unit paths per permission.

    Every request needs them (the two-factor check, the menu), so they are kept in the shared cache between
    requests while the user's change token (renewed by role_grant and role_revoke) and the tree's (renewed when
    a unit moves, which changes paths) are unchanged; the key holds the day, as roles start and end on dates.
    ROLES_KEPT_SECONDS bounds how long a change made outside the services (the admin is read-only) could go unseen."""
    return memoized_on(
        user,
        f"{SCOPE_MEMO}roles",
        lambda: freshness.kept(
            f"roles:{user.pk}:{timezone.localdate().isoformat()}",
            [freshness.user_token(user.pk), freshness.TREE_TOKEN],
            lambda: _read_role_summary(user),
            seconds=settings.ROLES_KEPT_SECONDS,
        ),
    )


def granted_unit_paths(user, permission: str) -> list[str]:
    """Paths of the units on which `user` holds an active role granting `permission` (outermost only)."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    return _role_summary(user)["paths"].get(permission, [])


def civic_organisation_ids(user, permission: str) -> frozenset[int]:
    """The organisations on which `user` holds a civic role granting `permission` (with the People's Committees
    their offices work for)."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    return _role_summary(user).get("organisations", {}).get(permission, frozenset())


def civic_area_ids(user, permission: str) -> frozenset[int]:
    """The villages and residential groups on which `user` holds a civic role granting `permission`."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    return _role_summary(user).get("area_ids", {}).get(permission, frozenset())


def holds_permission_anywhere(user, permission: str) -> bool:
    """Whether `user` holds `permission` through any role, party or civic (what the menu shows)."""
    return bool(
        granted_unit_paths(user, permission)
        or civic_organisation_ids(user, permission)
        or civic_area_ids(user, permission)
    )


def held_role_kinds(user) -> frozenset[str]:
    """The kinds of role `user` holds today, on any unit."""
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    return _role_summary(user)["kinds"]


def held_roles(user) -> tuple[tuple[str, str], ...]:
    """The (role, unit path) pairs of the roles `user` holds today, sorted: what notices and documents reach."""
    if not user or not user.is_authenticated or not user.is_active:
        return ()
    return _role_summary(user)["roles"]


def holds_only_member_role_on(user, unit_id: int | None) -> bool:
    """Whether every role the user holds today or will hold later is the plain member role on `unit_id`."""
    roles = RoleAssignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()), user=user)
    return all(role == RoleKind.MEMBER and unit == unit_id for role, unit in roles.values_list("role", "unit_id"))


def outermost_unit_code(user, permission: str) -> str:
    """The code of the outermost unit on which `user` holds `permission`: where a page opens without ?unit=.
    Raises PermissionDenied when there is none."""
    paths = granted_unit_paths(user, permission)
    if not paths:
        raise PermissionDenied
    return Unit.objects.filter(path=paths[0]).values_list("code", flat=True).get()


def _path_q(lookup: str, paths: list[str]) -> Q:
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def units_q(user, permission: str, *, via: str = "") -> Q:
    """A filter keeping rows whose unit (reached through `via`, e.g. "unit__") is in the user's scope."""
    return _path_q(f"{via}path", granted_unit_paths(user, permission))


def units_at_or_above(paths: Iterable[str]) -> list[str]:
    """The paths of the units at `paths` and of every unit above them, sorted (materialised paths are prefixes)."""
    return sorted({ancestor for path in paths for ancestor in Unit.ancestor_paths(path)})


def published_above_q(places: Iterable[str], *, field: str = "unit", subtrees: Iterable[str] = ()) -> Q:
    """A filter on rows published (through `field`) to a unit at or above one of `places`: what is published
    to a unit is for its whole subtree. Rows published anywhere below one of `subtrees` are kept too (an official
    reads what the units under their role publish)."""
    condition = Q(**{f"{field}__path__in": units_at_or_above(places)})
    for path in subtrees:
        condition |= Q(**{f"{field}__path__startswith": path})
    return condition


def restrict_units(queryset, user, permission: str):
    return queryset.filter(units_q(user, permission))


def restrict_areas(queryset, user, permission: str):
    """Areas served by units in scope, and everything below them. The central level sees every area."""
    unit_paths = granted_unit_paths(user, permission)
    if not unit_paths:
        return queryset.none()
    roots = Unit.objects.filter(path__in=unit_paths)
    if any(unit.area_id is None and unit.depth == 1 for unit in roots):
        return queryset
    area_paths = _outermost({path for path in AdminArea.objects.filter(units__in=roots).values_list("path", flat=True)})
    return queryset.filter(_path_q("path", area_paths))


def has_area_permission(user, permission: str, area) -> bool:
    """Whether `user` holds `permission` on a unit serving `area` or an area above it (the central level: all)."""
    return restrict_areas(AdminArea.objects.filter(pk=area.pk), user, permission).exists()


def has_unit_permission(user, permission: str, unit) -> bool:
    return any(unit.path.startswith(path) for path in granted_unit_paths(user, permission))


def require_unit_permission(user, permission: str, unit) -> None:
    """Raise PermissionDenied unless `user` holds `permission` on `unit`. `user=None` is the system itself."""
    if user is None:
        return
    if not has_unit_permission(user, permission, unit):
        raise PermissionDenied(_("You do not have permission for this unit."))


def forget_cached_scope(user) -> None:
    """After roles (or the user's own record) change within one request, the next check reads them afresh:
    every value kept under SCOPE_MEMO, here and in the apps that derive theirs from the roles or the record."""
    forget(user, SCOPE_MEMO)
