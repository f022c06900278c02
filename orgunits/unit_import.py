"""A list of units from a file: a province's or a commune's cells and organisations at once, through the unit services.

Columns: code, name, kind, parent code, served area code (may be empty). The parent is a unit already in the tree or
one given earlier or later in the same file. Every row is checked before anything is written: one wrong row and
nothing is written, each wrong row named with all its problems. A unit whose code exists already is kept: renamed or
given its served area when the file says otherwise, refused if the file puts it under another parent or gives it
another kind (moves and merges have their own pages). The same file again changes nothing. For an officer (not the
system), every unit the file names in the tree, as a unit or a parent, must be one they may manage: the others are
wrong rows, named like any other problem, so that the page shows them before the services would refuse them.
"""

import dataclasses
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.tabular import choice_named, read_table, row_problems

from .choices import UNIT_PARENT_KINDS, UnitKind
from .models import Unit
from .selectors import areas_by_code, unit_codes_managed_by, unit_parent_codes
from .services import unit_create, unit_update

if TYPE_CHECKING:
    from accounts.models import User

HEADINGS = {
    "code": ("code", "unit code", "ma", "ma to chuc"),
    "name": ("name", "ten", "ten to chuc"),
    "kind": ("kind", "loai", "loai to chuc"),
    "parent": ("parent", "parent code", "ma cap tren", "ma to chuc cap tren"),
    "area": ("area", "served area", "ma dia ban", "dia ban"),
}


@dataclasses.dataclass
class UnitRow:
    number: int
    code: str
    name: str
    kind: str
    parent: str
    area: str


@dataclasses.dataclass
class UnitsPlan:
    """What the file does: the rows to create (parents first), to change, and those already as the file says."""

    create: list[UnitRow] = dataclasses.field(default_factory=list)
    change: list[UnitRow] = dataclasses.field(default_factory=list)
    unchanged: list[UnitRow] = dataclasses.field(default_factory=list)


def read_unit_rows(name: str, content: bytes) -> list[UnitRow]:
    return [UnitRow(number, **values) for number, values in read_table(name, content, HEADINGS)]


def units_plan(rows: list[UnitRow], *, actor: "User | None" = None) -> UnitsPlan:
    """Check every row (ValidationError naming each wrong row) and order the work, as `actor` may (None: the
    system); writes nothing."""
    codes = {row.code.strip() for row in rows} | {row.parent.strip() for row in rows}
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=codes - {""})}
    managed = unit_codes_managed_by(actor, set(existing))
    areas = areas_by_code(row.area.strip() for row in rows)
    by_code: dict[str, UnitRow] = {}
    kinds: dict[str, str] = {code: unit.kind for code, unit in existing.items()}
    parent_codes = unit_parent_codes(list(existing.values()))
    problems = {}
    for row in rows:
        row.code, row.name, row.parent, row.area = (
            row.code.strip(),
            row.name.strip(),
            row.parent.strip(),
            row.area.strip(),
        )
        found = []
        if not row.code:
            found.append(_("The code is missing."))
        elif row.code in by_code:
            found.append(_("Row %(row)s has the same code.") % {"row": by_code[row.code].number})
        if not row.name:
            found.append(_("The name is missing."))
        kind = choice_named(row.kind, UnitKind)
        if kind is None or kind == UnitKind.CENTRAL:
            found.append(_("Unknown kind of unit “%(kind)s”.") % {"kind": row.kind})
        else:
            row.kind = kind
            kinds.setdefault(row.code, kind)
        if row.area and row.area not in areas:
            found.append(_("No area has the code “%(code)s”.") % {"code": row.area})
        elif row.area:
            row.area = areas[row.area].code  # an official code read as the area's own code from here on
        unit = existing.get(row.code)
        if unit is not None and unit.code not in managed:
            # Where a unit outside the officer's scope sits is not theirs to read: only that the code is taken.
            found.append(_("The code %(code)s belongs to a unit you do not manage.") % {"code": row.code})
        elif unit is not None:
            if kind and unit.kind != kind:
                found.append(_("Unit %(code)s exists with another kind.") % {"code": row.code})
            parent_code = parent_codes[unit.pk] or ""
            if row.parent != parent_code:
                found.append(
                    _("Unit %(code)s exists under %(parent)s: move it on its own page.")
                    % {"code": row.code, "parent": parent_code}
                )
        if found:
            problems[row.number] = found
        by_code.setdefault(row.code, row)
    for row in rows:
        if row.code in existing:
            continue
        parent_kind = kinds.get(row.parent)
        if not row.parent or (row.parent not in existing and row.parent not in by_code):
            problems.setdefault(row.number, []).append(_("No unit has the code “%(code)s”.") % {"code": row.parent})
        elif row.parent in existing and row.parent not in managed:
            problems.setdefault(row.number, []).append(
                _("You may not create units under %(code)s.") % {"code": row.parent}
            )
        elif row.number not in problems and parent_kind is not None and parent_kind not in UNIT_PARENT_KINDS[row.kind]:
            problems.setdefault(row.number, []).append(
                _("A unit of kind “%(kind)s” cannot be placed under a unit of kind “%(parent_kind)s”.")
                % {"kind": UnitKind(row.kind).label.lower(), "parent_kind": UnitKind(parent_kind).label.lower()}
            )
    if problems:
        raise ValidationError([row_problems(number, found) for number, found in sorted(problems.items())])
    plan = UnitsPlan()
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            continue
        area_code = unit.area.code if unit.area_id else ""
        (plan.change if (unit.name, area_code) != (row.name, row.area or area_code) else plan.unchanged).append(row)
    # New units parents first: each round takes the rows whose parent is in the tree or placed by an earlier round.
    placed, waiting = set(existing), [row for row in rows if row.code not in existing]
    while waiting:
        ready = [row for row in waiting if row.parent in placed]
        if not ready:
            raise ValidationError(
                [row_problems(row.number, [_("Its parent is never placed (a loop of parents).")]) for row in waiting]
            )
        plan.create += ready
        placed |= {row.code for row in ready}
        waiting = [row for row in waiting if row.code not in placed]
    return plan


@transaction.atomic
def units_import(*, actor: "User", rows: list[UnitRow], reason: str = "") -> UnitsPlan:
    """Apply `units_plan(rows, actor=actor)` through the unit services (scope, tree rules, change log) in one
    transaction."""
    plan = units_plan(rows, actor=actor)
    areas = areas_by_code(row.area for row in rows)
    for row in plan.create:
        unit_create(
            actor=actor,
            parent=Unit.objects.get(code=row.parent),
            code=row.code,
            name=row.name,
            kind=row.kind,
            area=areas.get(row.area),
            reason=reason,
        )
    for row in plan.change:
        unit_update(
            actor=actor, unit=Unit.objects.get(code=row.code), name=row.name, area=areas.get(row.area), reason=reason
        )
    return plan
