"""Changes to the two trees. Every change is checked against the tree rules and written to the change log."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.scoping import has_area_permission, has_unit_permission, require_unit_permission
from audit.choices import ChangeAction
from audit.services import change_log, creation_log, model_update, snapshot
from common.dates import today
from common.freshness import TREE_TOKEN, changed, unit_token
from common.locks import locked
from common.text import normalize_name
from rollout.counters import subtree_moved

from .choices import AREA_PARENT_KINDS, ORGANISATION_AREA_KINDS, UNIT_PARENT_KINDS, AreaKind, OrganisationKind, UnitKind
from .contents import contents_move_to_cell, contents_present_in_subtree
from .models import AdminArea, Organisation, TreeNode, Unit
from .selectors import restructuring_authority

if TYPE_CHECKING:
    from accounts.models import User


def _check_placement(*, kind: str, parent: TreeNode | None, rules: dict, kind_labels) -> None:
    """Refuse a node of `kind` under `parent` unless the tree rules allow it."""
    allowed = rules[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind in allowed:
        return
    if parent is None:
        message = _("A unit of kind “%(kind)s” must be placed under another unit.") % {"kind": kind_labels(kind)}
    elif parent.kind in (UnitKind.GRASSROOTS_CELL, UnitKind.ATTACHED_CELL):
        message = _("A cell cannot have units under it.")
    else:
        message = _("A unit of kind “%(kind)s” cannot be placed under a unit of kind “%(parent_kind)s”.") % {
            "kind": kind_labels(kind).lower(),
            "parent_kind": kind_labels(parent.kind).lower(),
        }
    raise ValidationError({"parent": message})


def _check_parent_open(parent: TreeNode | None) -> None:
    if parent is not None and not parent.is_open:
        raise ValidationError(
            {"parent": _("“%(name)s” is closed: nothing can be added under it.") % {"name": parent.name}}
        )


def _check_dates(node: TreeNode) -> None:
    errors = {}
    if node.opened_on and node.opened_on > today():
        errors["opened_on"] = _("The opening date cannot be in the future.")
    if node.closed_on and node.closed_on > today():
        errors["closed_on"] = _("The closing date cannot be in the future.")
    if node.opened_on and node.closed_on and node.closed_on < node.opened_on:
        errors["closed_on"] = _("The closing date cannot be before the opening date.")
    if errors:
        raise ValidationError(errors)


def _add_node(model, *, parent, fields: dict):
    """Validate and insert a node as the last child of `parent` (or as a root)."""
    node = model(**fields)
    node.full_clean(exclude=["path", "depth", "numchild"])
    _check_dates(node)
    return model.objects.add_child(parent, instance=node) if parent else model.objects.add_root(instance=node)


def _unit_kind_label(kind: str) -> str:
    return str(UnitKind(kind).label)


def _area_kind_label(kind: str) -> str:
    return str(AreaKind(kind).label)


@transaction.atomic
def unit_create(
    *,
    actor: "User",
    parent: Unit | None,
    code: str,
    name: str,
    kind: str,
    area: AdminArea | None = None,
    opened_on: datetime.date | None = None,
    reason: str = "",
) -> Unit:
    if parent is None:
        if actor is not None:
            # Roots (the central level) are created once, by the system, never from a page.
            raise PermissionDenied(_("Only the system can create a top-level unit."))
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        require_unit_permission(actor, Permission.UNIT_MANAGE, parent)
    _check_placement(kind=kind, parent=parent, rules=UNIT_PARENT_KINDS, kind_labels=_unit_kind_label)
    _check_parent_open(parent)
    unit = _add_node(
        Unit,
        parent=parent,
        fields={
            "code": code.strip(),
            "name": normalize_name(name),
            "kind": kind,
            "area": area,
            "opened_on": opened_on or today(),
        },
    )
    creation_log(actor=actor, obj=unit, reason=reason, unit=unit)
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: "User",
    unit: Unit,
    name: str | None = None,
    area: AdminArea | None = None,
    clear_area: bool = False,
    reason: str = "",
) -> Unit:
    """Rename a unit or change the area it serves. Its code, kind and place in the tree stay."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_unit_permission(actor, Permission.UNIT_MANAGE, unit)
    before = snapshot(unit)
    if name is not None:
        unit.name = normalize_name(name)
    if area is not None or clear_area:
        unit.area = area
    unit.full_clean(exclude=["path", "depth", "numchild"])
    after = snapshot(unit)
    if after == before:
        return unit
    unit.save(update_fields=["name", "area"])
    change_log(actor=actor, obj=unit, action=ChangeAction.UPDATE, before=before, after=after, reason=reason, unit=unit)
    changed(unit_token(unit.path))  # the homes below show its name
    return unit


@transaction.atomic
def unit_move(*, actor: "User", unit: Unit, new_parent: Unit, reason: str = "") -> Unit:
    """Move a unit with its whole subtree under `new_parent`. Members keep their cell."""
    rows = locked(Unit, [unit.pk, new_parent.pk])
    unit, new_parent = rows[unit.pk], rows[new_parent.pk]
    current_parent = Unit.objects.get_parent(unit)
    # Moving a unit takes authority over where it leaves and where it lands.
    require_unit_permission(actor, Permission.UNIT_MANAGE, current_parent or unit)
    require_unit_permission(actor, Permission.UNIT_MANAGE, new_parent)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved into itself or into a unit under it.")})
    if current_parent and current_parent.pk == new_parent.pk:
        raise ValidationError({"parent": _("The unit is already under “%(name)s”.") % {"name": new_parent.name}})
    _check_placement(kind=unit.kind, parent=new_parent, rules=UNIT_PARENT_KINDS, kind_labels=_unit_kind_label)
    _check_parent_open(new_parent)
    before = snapshot(unit) | {"parent_code": current_parent.code if current_parent else None}
    # Pages kept below the unit were built against its old path and its old ancestors; kept roles hold paths.
    changed(unit_token(unit.path), TREE_TOKEN)
    Unit.objects.move(unit, new_parent, "last-child")
    unit.refresh_from_db()
    # The subtree's rollout figures leave the old ancestors and join the new ones, in this transaction.
    subtree_moved(unit=unit, old_parent=current_parent, new_parent=new_parent)
    after = snapshot(unit) | {"parent_code": new_parent.code}
    change_log(actor=actor, obj=unit, action=ChangeAction.MOVE, before=before, after=after, reason=reason, unit=unit)
    return unit


def _open_descendants(unit: Unit):
    return Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth, closed_on__isnull=True)


@transaction.atomic
def unit_close(*, actor: "User", unit: Unit, closed_on: datetime.date | None = None, reason: str = "") -> Unit:
    """Close an empty unit. A unit with open units or current members under it must be emptied or merged first."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_unit_permission(actor, Permission.UNIT_MANAGE, restructuring_authority(unit))
    if not unit.is_open:
        raise ValidationError({"closed_on": _("This unit is already closed.")})
    if _open_descendants(unit).exists():
        raise ValidationError({"closed_on": _("Close or move the units under this unit first.")})
    still_present = contents_present_in_subtree(unit)
    if still_present:
        raise ValidationError({"closed_on": still_present[0].present_message})
    before = snapshot(unit)
    unit.closed_on = closed_on or today()
    _check_dates(unit)
    unit.save(update_fields=["closed_on"])
    change_log(
        actor=actor, obj=unit, action=ChangeAction.CLOSE, before=before, after=snapshot(unit), reason=reason, unit=unit
    )
    return unit


@transaction.atomic
def unit_merge(
    *, actor: "User", source: Unit, target: Unit, merged_on: datetime.date | None = None, reason: str = ""
) -> Unit:
    """Merge `source` into `target`: its units and members move to `target`, then `source` is closed.

    Both must be of the same kind and open. Every member moved gets a change-log row naming the merge.
    """
    rows = locked(Unit, [source.pk, target.pk])
    source, target = rows[source.pk], rows[target.pk]
    require_unit_permission(actor, Permission.UNIT_MANAGE, restructuring_authority(source))
    require_unit_permission(actor, Permission.UNIT_MANAGE, target)
    if source.pk == target.pk:
        raise ValidationError({"target": _("A unit cannot be merged into itself.")})
    if source.kind != target.kind:
        raise ValidationError({"target": _("Only units of the same kind can be merged.")})
    if not source.is_open or not target.is_open:
        raise ValidationError({"target": _("Both units must be open to be merged.")})
    if target.path.startswith(source.path):
        raise ValidationError({"target": _("A unit cannot be merged into a unit under it.")})
    merge_reason = reason or _("Merged “%(source)s” into “%(target)s”") % {"source": source.name, "target": target.name}
    for child in list(Unit.objects.get_children(source).filter(closed_on__isnull=True)):
        unit_move(actor=actor, unit=child, new_parent=target, reason=merge_reason)
    if source.is_cell:
        contents_move_to_cell(actor=actor, from_unit=source, to_unit=target, reason=merge_reason)
    source.refresh_from_db()
    before = snapshot(source)
    source.closed_on = merged_on or today()
    source.merged_into = target
    _check_dates(source)
    source.save(update_fields=["closed_on", "merged_into"])
    change_log(
        actor=actor,
        obj=source,
        action=ChangeAction.MERGE,
        before=before,
        after=snapshot(source),
        reason=merge_reason,
        unit=source,
    )
    return target


@transaction.atomic
def area_create(
    *,
    actor: "User",
    parent: AdminArea | None,
    code: str,
    name: str,
    kind: str,
    opened_on: datetime.date | None = None,
    official_code: str | None = None,
    reason: str = "",
) -> AdminArea:
    """Add an administrative area. Areas are reference data kept by the system and committee administrators."""
    if parent is not None:
        parent = AdminArea.objects.select_for_update().get(pk=parent.pk)
    _check_placement(kind=kind, parent=parent, rules=AREA_PARENT_KINDS, kind_labels=_area_kind_label)
    _check_parent_open(parent)
    area = _add_node(
        AdminArea,
        parent=parent,
        fields={
            "code": code.strip(),
            "name": normalize_name(name),
            "kind": kind,
            "opened_on": opened_on,
            "official_code": official_code,
        },
    )
    creation_log(actor=actor, obj=area, reason=reason)
    return area


def has_area_authority(actor: "User") -> bool:
    """The administrative tree is the country's: changed by the system (a command) or the central level's officers."""
    if actor is None:
        return True
    roots = list(Unit.objects.get_root_nodes())
    return bool(roots) and all(has_unit_permission(actor, Permission.UNIT_MANAGE, root) for root in roots)


def require_area_authority(actor: "User") -> None:
    if not has_area_authority(actor):
        raise PermissionDenied(_("Only the central level changes the administrative tree."))


def _area_logged(
    *, actor: "User", area: AdminArea, action: str, before: dict, reason: str, extra: dict | None = None
) -> None:
    after = snapshot(area) | (extra or {})
    change_log(actor=actor, obj=area, action=action, before=before, after=after, reason=reason)


@transaction.atomic
def area_update(
    *, actor: "User", area: AdminArea, name: str | None = None, official_code: str | None = None, reason: str = ""
) -> AdminArea:
    """Rename an area or give it its official code. Its code, kind and place in the tree stay."""
    require_area_authority(actor)
    area = AdminArea.objects.select_for_update().get(pk=area.pk)
    before = snapshot(area)
    if name is not None:
        area.name = normalize_name(name)
    if official_code is not None:
        area.official_code = official_code.strip() or None
    area.full_clean(exclude=["path", "depth", "numchild"])
    if snapshot(area) == before:
        return area
    area.save(update_fields=["name", "official_code"])
    _area_logged(actor=actor, area=area, action=ChangeAction.UPDATE, before=before, reason=reason)
    return area


@transaction.atomic
def area_move(*, actor: "User", area: AdminArea, new_parent: AdminArea, reason: str = "") -> AdminArea:
    """Move an area with the areas under it (a commune given to another province). Members keep their residence."""
    require_area_authority(actor)
    area = AdminArea.objects.select_for_update().get(pk=area.pk)
    new_parent = AdminArea.objects.select_for_update().get(pk=new_parent.pk)
    current_parent = AdminArea.objects.get_parent(area)
    if new_parent.pk == area.pk or new_parent.path.startswith(area.path):
        raise ValidationError({"parent": _("An area cannot be moved into itself or into an area under it.")})
    if current_parent and current_parent.pk == new_parent.pk:
        raise ValidationError({"parent": _("The area is already under “%(name)s”.") % {"name": new_parent.name}})
    _check_placement(kind=area.kind, parent=new_parent, rules=AREA_PARENT_KINDS, kind_labels=_area_kind_label)
    _check_parent_open(new_parent)
    before = snapshot(area) | {"parent_code": current_parent.code if current_parent else None}
    AdminArea.objects.move(area, new_parent, "last-child")
    area.refresh_from_db()
    _area_logged(
        actor=actor,
        area=area,
        action=ChangeAction.MOVE,
        before=before,
        reason=reason,
        extra={"parent_code": new_parent.code},
    )
    return area


@transaction.atomic
def area_close(
    *, actor: "User", area: AdminArea, closed_on: datetime.date | None = None, reason: str = ""
) -> AdminArea:
    """Close an area that no longer exists. One with open areas under it is merged instead (`area_merge`)."""
    require_area_authority(actor)
    area = AdminArea.objects.select_for_update().get(pk=area.pk)
    if not area.is_open:
        raise ValidationError({"closed_on": _("This area is already closed.")})
    if AdminArea.objects.filter(path__startswith=area.path, depth__gt=area.depth, closed_on__isnull=True).exists():
        raise ValidationError(
            {
                "closed_on": _("Open areas are still under “%(name)s”: merge it into the area that took them.")
                % {"name": area.name}
            }
        )
    before = snapshot(area)
    area.closed_on = closed_on or today()
    _check_dates(area)
    area.save(update_fields=["closed_on"])
    _area_logged(actor=actor, area=area, action=ChangeAction.CLOSE, before=before, reason=reason)
    return area


@transaction.atomic
def area_merge(
    *, actor: "User", source: AdminArea, target: AdminArea, merged_on: datetime.date | None = None, reason: str = ""
) -> AdminArea:
    """Merge `source` into `target` (two communes become one): its open areas move under `target`, then it closes.
    Members' residences (villages and groups) move with their commune; the units serving `source` stay as they are
    (merging committees is the party's own decision, `unit_merge`)."""
    require_area_authority(actor)
    source = AdminArea.objects.select_for_update().get(pk=source.pk)
    target = AdminArea.objects.select_for_update().get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError({"target": _("An area cannot be merged into itself.")})
    if source.kind != target.kind:
        raise ValidationError({"target": _("Only areas of the same kind can be merged.")})
    if not source.is_open or not target.is_open:
        raise ValidationError({"target": _("Both areas must be open to be merged.")})
    merge_reason = reason or _("Merged “%(source)s” into “%(target)s”") % {"source": source.name, "target": target.name}
    for child in list(AdminArea.objects.get_children(source).filter(closed_on__isnull=True)):
        area_move(actor=actor, area=child, new_parent=target, reason=merge_reason)
    source.refresh_from_db()
    before = snapshot(source)
    source.closed_on = merged_on or today()
    _check_dates(source)
    source.save(update_fields=["closed_on"])
    _area_logged(
        actor=actor,
        area=source,
        action=ChangeAction.MERGE,
        before=before,
        reason=merge_reason,
        extra={"merged_into_code": target.code},
    )
    return target


# Organisations: state bodies, agencies, schools, enterprises on the administrative tree


def require_organisation_authority(actor: "User", area: AdminArea) -> None:
    """Organisations of an area are kept by those who manage the party units serving it (or an area above)."""
    if actor is not None and not has_area_permission(actor, Permission.UNIT_MANAGE, area):
        raise PermissionDenied(_("You do not manage the units serving this area."))


def _fields_of(organisation: Organisation) -> dict:
    return {field.attname: getattr(organisation, field.attname) for field in Organisation._meta.concrete_fields}


def _check_organisation(organisation: Organisation, *, creating: bool = False) -> None:
    """The placement rules: the kinds of area each kind sits in; an office under its People's Committee; the party
    unit, when named, serving the same commune."""
    errors = {}
    area = organisation.area
    if area.kind not in ORGANISATION_AREA_KINDS[organisation.kind]:
        errors["area"] = _("A %(kind)s cannot be placed in a %(area_kind)s.") % {
            "kind": OrganisationKind(organisation.kind).label.lower(),
            "area_kind": AreaKind(area.kind).label.lower(),
        }
    elif creating and not area.is_open:
        errors["area"] = _("“%(name)s” is closed: nothing can be added in it.") % {"name": area.name}
    parent = organisation.parent
    if organisation.kind == OrganisationKind.OFFICE:
        if parent is None or parent.kind != OrganisationKind.PEOPLES_COMMITTEE or parent.area_id != area.pk:
            errors["parent"] = _("An office belongs to the People's Committee of its area.")
        elif creating and not parent.is_open:
            errors["parent"] = _("“%(name)s” is closed: nothing can be added under it.") % {"name": parent.name}
    elif parent is not None:
        errors["parent"] = _("Only an office belongs to a People's Committee.")
    unit = organisation.party_unit
    if unit is not None and not unit.is_open:
        errors["party_unit"] = _("“%(name)s” is closed.") % {"name": unit.name}
    elif unit is not None:
        # Under the party committee serving the organisation's commune (a province's body: its province).
        commune_path = area.path[: AdminArea.steplen * min(area.depth, 2)]
        serving = Unit.objects.filter(area__path=commune_path).values_list("path", flat=True)
        if not any(unit.path.startswith(path) for path in serving):
            errors["party_unit"] = _("Choose a party unit of the party committee serving this commune.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(
    *,
    actor: "User",
    area: AdminArea,
    code: str,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    party_unit: Unit | None = None,
    opened_on: datetime.date | None = None,
    reason: str = "",
) -> Organisation:
    """Add a People's Committee, one of its offices, or an agency, school, enterprise or mass organisation."""
    area = AdminArea.objects.select_for_update().get(pk=area.pk)
    require_organisation_authority(actor, area)
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Choose a kind of organisation.")})
    organisation = Organisation(
        code=(code or "").strip(),
        name=normalize_name(name),
        kind=kind,
        area=area,
        parent=parent,
        party_unit=party_unit,
        opened_on=opened_on,
    )
    organisation.full_clean(validate_constraints=False)
    _check_organisation(organisation, creating=True)
    if (
        kind == OrganisationKind.PEOPLES_COMMITTEE
        and Organisation.objects.filter(area=area, kind=kind, closed_on__isnull=True).exists()
    ):
        raise ValidationError({"kind": _("This area already has its People's Committee.")})
    organisation.save()
    creation_log(actor=actor, obj=organisation, reason=reason, unit=party_unit)
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: "User", organisation: Organisation, name: str, party_unit: Unit | None, reason: str = ""
) -> Organisation:
    """Rename an organisation or name its party unit; its code, kind and place stay."""
    organisation = Organisation.objects.select_for_update(of=("self",)).select_related("area").get(pk=organisation.pk)
    require_organisation_authority(actor, organisation.area)
    data = {"name": normalize_name(name), "party_unit": party_unit}
    # The rules are checked on the changed organisation before anything is set on the locked row.
    changed_copy = Organisation(**_fields_of(organisation))
    for field, value in data.items():
        setattr(changed_copy, field, value)
    _check_organisation(changed_copy)
    return model_update(organisation, data=data, actor=actor, reason=reason, unit=party_unit)


@transaction.atomic
def organisation_close(
    *, actor: "User", organisation: Organisation, closed_on: datetime.date | None = None, reason: str = ""
) -> Organisation:
    """Close an organisation that no longer exists; its reports and history stay. Open offices close first."""
    organisation = Organisation.objects.select_for_update(of=("self",)).select_related("area").get(pk=organisation.pk)
    require_organisation_authority(actor, organisation.area)
    if not organisation.is_open:
        raise ValidationError({"closed_on": _("This organisation is already closed.")})
    if organisation.offices.filter(closed_on__isnull=True).exists():
        raise ValidationError({"closed_on": _("Close its offices first.")})
    closed_on = closed_on or today()
    if closed_on > today() or (organisation.opened_on and closed_on < organisation.opened_on):
        raise ValidationError({"closed_on": _("The closing date cannot be in the future or before the opening date.")})
    model_update(
        organisation,
        data={"closed_on": closed_on},
        actor=actor,
        action=ChangeAction.CLOSE,
        reason=reason,
        unit=organisation.party_unit,
        clean=False,
        update_fields=True,
    )
    return organisation
