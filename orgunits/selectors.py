"""Reads of the two trees, always narrowed to what the actor may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths, restrict_areas, restrict_units
from common.collation import sorted_vietnamese

from .choices import CELL_KINDS
from .models import AdminArea, Unit


def units_visible_to(actor, permission: str = Permission.UNIT_VIEW) -> QuerySet[Unit]:
    return restrict_units(Unit.objects.all(), actor, permission)


def unit_top_level(*, actor) -> list[Unit]:
    """The units the actor's roles are granted on: where their view of the tree starts."""
    return list(Unit.objects.filter(path__in=granted_unit_paths(actor, Permission.UNIT_VIEW)).order_by("path"))


def unit_get(*, actor, code: str, permission: str = Permission.UNIT_VIEW) -> Unit:
    return get_object_or_404(units_visible_to(actor, permission).select_related("area"), code=code)


def unit_children(*, actor, unit: Unit, include_closed: bool = False) -> list[Unit]:
    """The unit's children in Vietnamese order of their names ("thôn 2" before "thôn 10", "Đ" after "D"):
    a commune has at most a few hundred, and the database's collation cannot do it (common/collation.py)."""
    children = units_visible_to(actor).filter(path__startswith=unit.path, depth=unit.depth + 1)
    if not include_closed:
        children = children.filter(closed_on__isnull=True)
    return sorted_vietnamese(children.select_related("area"), key=lambda child: child.name)


def restructuring_authority(unit: Unit) -> Unit:
    """The unit whose management moving, closing or merging `unit` takes: its parent (a root answers for itself)."""
    return Unit.objects.get_parent(unit) or unit


def unit_visible_ancestors(*, actor, unit: Unit) -> list[Unit]:
    """Breadcrumbs: the unit's ancestors that the actor may see, root first."""
    return list(units_visible_to(actor).filter(path__in=Unit.ancestor_paths(unit.path)[:-1]).order_by("depth"))


def unit_list(*, actor, search: str = "", kind: str = "", permission: str = Permission.UNIT_VIEW) -> QuerySet[Unit]:
    units = units_visible_to(actor, permission)
    if search:
        units = units.filter(name__icontains=search) | units.filter(code__iexact=search)
    if kind:
        units = units.filter(kind=kind)
    return units.select_related("area").order_by("path")


def cells_visible_to(actor, permission: str) -> QuerySet[Unit]:
    """Open cells the actor may place members in (form choices)."""
    return units_visible_to(actor, permission).filter(kind__in=CELL_KINDS, closed_on__isnull=True).order_by("name")


def areas_visible_to(actor, permission: str = Permission.UNIT_VIEW) -> QuerySet[AdminArea]:
    return restrict_areas(AdminArea.objects.all(), actor, permission)


def area_get(*, actor, code: str, permission: str = Permission.UNIT_VIEW) -> AdminArea:
    return get_object_or_404(areas_visible_to(actor, permission), code=code)


def unit_codes_managed_by(actor, codes: set[str]) -> set[str]:
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
