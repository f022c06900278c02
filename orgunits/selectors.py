"""Reads of the two trees, always narrowed to what the actor may see."""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.scoping import (
    granted_unit_paths,
    has_unit_permission,
    require_unit_permission,
    restrict_areas,
    restrict_units,
)
from common.collation import sorted_vietnamese

from .choices import CELL_KINDS, OrganisationKind, UnitKind
from .models import AdminArea, Organisation, Unit

if TYPE_CHECKING:
    from accounts.models import User


def units_visible_to(actor: "User", permission: str = Permission.UNIT_VIEW) -> QuerySet[Unit]:
    return restrict_units(Unit.objects.all(), actor, permission)


def unit_top_level(*, actor: "User") -> list[Unit]:
    """The units the actor's roles are granted on: where their view of the tree starts."""
    return list(Unit.objects.filter(path__in=granted_unit_paths(actor, Permission.UNIT_VIEW)).order_by("path"))


def unit_get(*, actor: "User", code: str, permission: str = Permission.UNIT_VIEW) -> Unit:
    return get_object_or_404(units_visible_to(actor, permission).select_related("area"), code=code)


def unit_children(*, actor: "User", unit: Unit, include_closed: bool = False) -> list[Unit]:
    """The unit's children in Vietnamese order of their names ("thôn 2" before "thôn 10", "Đ" after "D"):
    a commune has at most a few hundred, and the database's collation cannot do it (common/collation.py)."""
    children = units_visible_to(actor).filter(path__startswith=unit.path, depth=unit.depth + 1)
    if not include_closed:
        children = children.filter(closed_on__isnull=True)
    return sorted_vietnamese(children.select_related("area"), key=lambda child: child.name)


def restructuring_authority(unit: Unit) -> Unit:
    """The unit whose management moving, closing or merging `unit` takes: its parent (a root answers for itself)."""
    return Unit.objects.get_parent(unit) or unit


def unit_management_get(*, actor: "User", code: str, acts_on_parent: bool = False) -> Unit:
    """The unit named in a management page's URL: 404 outside scope, 403 without the right to manage it (to move,
    close or merge it: the right to manage its parent)."""
    unit = unit_get(actor=actor, code=code)
    require_unit_permission(actor, Permission.UNIT_MANAGE, restructuring_authority(unit) if acts_on_parent else unit)
    return unit


def unit_page_rights(*, actor: "User", unit: Unit) -> dict[str, bool]:
    """What the unit's page offers the actor: its links and buttons, each shown only where the action is allowed."""
    can_manage = has_unit_permission(actor, Permission.UNIT_MANAGE, unit)
    return {
        "can_view_members_here": has_unit_permission(actor, Permission.MEMBER_VIEW, unit),
        "can_view_access_log": has_unit_permission(actor, Permission.ACCESS_LOG_VIEW, unit),
        "can_add_member": unit.is_cell and unit.is_open and has_unit_permission(actor, Permission.MEMBER_CHANGE, unit),
        "can_edit": can_manage,
        "can_grant_roles": has_unit_permission(actor, Permission.ROLE_MANAGE, unit),
        "can_add_child": can_manage and unit.is_open and not unit.is_cell,
        "can_restructure": unit.is_open
        and has_unit_permission(actor, Permission.UNIT_MANAGE, restructuring_authority(unit)),
    }


def import_rights(actor: "User") -> dict[str, bool]:
    """Whether the actor may import units (manages a unit somewhere) and officer accounts (grants roles somewhere)."""
    return {
        "can_import_units": bool(granted_unit_paths(actor, Permission.UNIT_MANAGE)),
        "can_import_officers": bool(granted_unit_paths(actor, Permission.ROLE_MANAGE)),
    }


def units_managed_by(actor: "User") -> QuerySet[Unit]:
    """Open units the actor may manage: where the management forms may move or merge a unit."""
    return units_visible_to(actor, Permission.UNIT_MANAGE).filter(closed_on__isnull=True)


def unit_visible_ancestors(*, actor: "User", unit: Unit) -> list[Unit]:
    """Breadcrumbs: the unit's ancestors that the actor may see, root first."""
    return list(units_visible_to(actor).filter(path__in=Unit.ancestor_paths(unit.path)[:-1]).order_by("depth"))


def unit_list(
    *, actor: "User", search: str = "", kind: str = "", permission: str = Permission.UNIT_VIEW
) -> QuerySet[Unit]:
    units = units_visible_to(actor, permission)
    if search:
        units = units.filter(name__icontains=search) | units.filter(code__iexact=search)
    if kind:
        units = units.filter(kind=kind)
    return units.select_related("area").order_by("path")


def cells_visible_to(actor: "User", permission: str) -> QuerySet[Unit]:
    """Open cells the actor may place members in (form choices)."""
    return units_visible_to(actor, permission).filter(kind__in=CELL_KINDS, closed_on__isnull=True).order_by("name")


def areas_visible_to(actor: "User", permission: str = Permission.UNIT_VIEW) -> QuerySet[AdminArea]:
    return restrict_areas(AdminArea.objects.all(), actor, permission)


def area_code_q(code: str) -> Q:
    """An area named by its code or by its official code (the General Statistics Office's 2 or 5 digits)."""
    return Q(code=code) | Q(official_code=code, closed_on__isnull=True)


def areas_by_code(codes) -> dict[str, AdminArea]:
    """{code given: area} for codes that name areas by their code or their official code (a file may use either)."""
    codes = set(codes) - {""}
    if not codes:
        return {}
    found = {}
    for area in AdminArea.objects.filter(Q(code__in=codes) | Q(official_code__in=codes, closed_on__isnull=True)):
        found.update({code: area for code in (area.code, area.official_code) if code in codes})
    return found


def area_get(*, actor: "User", code: str, permission: str = Permission.UNIT_VIEW) -> AdminArea:
    return get_object_or_404(areas_visible_to(actor, permission), area_code_q(code))


def areas_managed_by(actor: "User") -> QuerySet[AdminArea]:
    """The areas a unit the actor manages may serve, in tree order (the management forms' choices)."""
    return areas_visible_to(actor, Permission.UNIT_MANAGE).order_by("path")


def unit_codes_managed_by(actor: "User", codes: set[str]) -> set[str]:
    """The codes among `codes` of units `actor` may manage (create under, rename); every one for the system (None)."""
    units = Unit.objects.all() if actor is None else units_visible_to(actor, Permission.UNIT_MANAGE)
    return set(units.filter(code__in=codes).values_list("code", flat=True))


def unit_parent_codes(units: list[Unit]) -> dict[int, str | None]:
    """Each unit's parent code, in one query.

    The parent is named even where the actor cannot open it: it says where the unit sits, not what the parent holds.
    """
    parent_paths = {unit.path[: -Unit.steplen] for unit in units if unit.depth > 1}
    codes = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "code"))
    return {unit.pk: codes.get(unit.path[: -Unit.steplen]) for unit in units}


def unit_names(ids) -> dict[int, str]:
    """Unit names by id, whatever the actor's scope: a member's history names the cells they have left."""
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def area_names(ids) -> dict[int, str]:
    """Area names by id, for the same purpose as `unit_names`."""
    return dict(AdminArea.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


# The committees above a unit, for routing by authority (corrections, questions).


def unit_and_ancestors(unit: Unit) -> list[Unit]:
    """The unit and its ancestors, nearest first (one query)."""
    paths = [unit.path[: index * Unit.steplen] for index in range(1, unit.depth + 1)]
    return sorted(Unit.objects.filter(path__in=paths), key=lambda node: -node.depth)


def commune_committee_of(cell: Unit) -> Unit:
    """The commune committee above a cell; a cell straight under a province answers to the province."""
    chain = unit_and_ancestors(cell)
    for kind in (UnitKind.COMMUNE_COMMITTEE, UnitKind.PROVINCE_COMMITTEE):
        found = next((unit for unit in chain if unit.kind == kind), None)
        if found is not None:
            return found
    return chain[-1]


def province_committee_of(cell: Unit) -> Unit:
    chain = unit_and_ancestors(cell)
    return next((unit for unit in chain if unit.kind == UnitKind.PROVINCE_COMMITTEE), chain[-1])


def escalation_unit(unit: Unit) -> Unit | None:
    """The unit above, skipping levels without a committee that decides (grassroots committees): the next
    commune or provincial committee, or the central level. None at the top."""
    chain = unit_and_ancestors(unit)[1:]
    deciding = (UnitKind.COMMUNE_COMMITTEE, UnitKind.PROVINCE_COMMITTEE, UnitKind.CENTRAL)
    return next((candidate for candidate in chain if candidate.kind in deciding), None)


# Organisations on the administrative tree


def organisations_visible_to(actor: "User", permission: str = Permission.UNIT_VIEW) -> QuerySet[Organisation]:
    """Organisations in the areas served by units in the actor's scope (and below them)."""
    return Organisation.objects.filter(area__in=areas_visible_to(actor, permission).values("pk"))


def organisation_list(*, actor: "User", query: str = "", include_closed: bool = False) -> QuerySet[Organisation]:
    organisations = organisations_visible_to(actor).select_related("area", "parent")
    if not include_closed:
        organisations = organisations.filter(closed_on__isnull=True)
    query = (query or "").strip()
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(code__iexact=query))
    return organisations.order_by("area__path", "name", "pk")


def organisation_get(*, actor: "User", code: str, permission: str = Permission.UNIT_VIEW) -> Organisation:
    """An organisation in the actor's scope (404 otherwise); with `UNIT_MANAGE`, one they keep."""
    return get_object_or_404(
        organisations_visible_to(actor, permission).select_related("area", "parent", "party_unit"), code=code
    )


def organisation_management_get(*, actor: "User", code: str) -> Organisation:
    """An organisation the actor keeps (manages a unit serving its area): 404 otherwise."""
    return organisation_get(actor=actor, code=code, permission=Permission.UNIT_MANAGE)


def organisation_page_rights(*, actor: "User", organisation: Organisation) -> dict[str, bool]:
    """What the organisation's page offers the actor."""
    manages = organisations_visible_to(actor, Permission.UNIT_MANAGE).filter(pk=organisation.pk).exists()
    return {"can_manage": manages and organisation.is_open}


def organisation_people(organisation: Organisation):
    """The open civic roles held on the organisation (its Culture–Society officer, its contact), by name."""
    return organisation.roles.filter(ends_on__isnull=True).select_related("user").order_by("user__last_name", "pk")


def may_add_organisations(actor: "User") -> bool:
    """Whether the actor keeps the organisations of any area (they manage a unit, which may serve one)."""
    return bool(granted_unit_paths(actor, Permission.UNIT_MANAGE))


def organisation_offices(*, actor: "User", organisation: Organisation) -> QuerySet[Organisation]:
    return organisations_visible_to(actor).filter(parent=organisation).order_by("name")


def peoples_committees_managed_by(actor: "User") -> QuerySet[Organisation]:
    """The open People's Committees whose offices the actor may add."""
    return organisations_visible_to(actor, Permission.UNIT_MANAGE).filter(
        kind=OrganisationKind.PEOPLES_COMMITTEE, closed_on__isnull=True
    )
