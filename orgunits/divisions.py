"""The country's official administrative divisions in the administrative tree, and the committees that mirror them.

The list is the General Statistics Office's, as the `vietnam-provinces` package ships it (since the reorganisation of
1 July 2025: 34 provinces and 3,321 communes, wards and special zones, no district level). Each province and commune
is an area whose `official_code` is the Office's code (2 digits, 5 digits); its `code` is the same code with the
prefix `VN-`, so it never meets a code given by hand. Villages and residential groups are not in the list: they are
added by each commune.

Loading compares the list with the tree and changes only what differs, through the area services (so every change
is logged, and nothing is deleted): a new division is added, a renamed one renamed, a commune given to another
province moved, and one no longer in the list closed, or merged into the division named for it (its villages move
there). Run again, it changes nothing. With `committees`, a province committee and a commune committee are planned for
every division that has none (named and coded by the rule below); existing units are never changed.
"""

import dataclasses
import functools
import json
import operator
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from common.text import fold_for_search

from .choices import AreaKind, UnitKind
from .models import AdminArea, Unit
from .services import area_close, area_create, area_merge, area_move, area_update, unit_create

if TYPE_CHECKING:
    from accounts.models import User

CODE_PREFIX = "VN-"
CENTRAL_CODE = "TW"
CENTRAL_NAME = "Trung ương"
# The committees' codes: "P" and the province's official code, "X" and the commune's (P33, X11953).
PROVINCE_COMMITTEE_PREFIX = "P"
COMMUNE_COMMITTEE_PREFIX = "X"
# "Thành phố trung ương" (a city under the central government) is "thành phố" in a name.
_SHORT_TYPES = {"thành phố trung ương": "thành phố"}


@dataclasses.dataclass(frozen=True)
class Division:
    official_code: str
    # The place's own name ("Hưng Yên", "Phố Hiến") and its kind as the list names it ("tỉnh", "thành phố trung
    # ương", "phường", "xã", "đặc khu").
    place: str
    division_type: str
    province_code: str | None = None

    @property
    def kind(self) -> str:
        return AreaKind.COMMUNE if self.province_code else AreaKind.PROVINCE

    @property
    def code(self) -> str:
        return CODE_PREFIX + self.official_code

    @property
    def _type_word(self) -> str:
        return _SHORT_TYPES.get(self.division_type, self.division_type)

    @property
    def name(self) -> str:
        """ "Tỉnh Hưng Yên", "Thành phố Hà Nội", "Phường Phố Hiến"."""
        return f"{self._type_word.capitalize()} {self.place}"

    @property
    def committee_code(self) -> str:
        prefix = COMMUNE_COMMITTEE_PREFIX if self.province_code else PROVINCE_COMMITTEE_PREFIX
        return prefix + self.official_code

    @property
    def committee_name(self) -> str:
        """ "Đảng bộ tỉnh Hưng Yên", "Đảng bộ thành phố Hà Nội", "Đảng bộ phường Phố Hiến"."""
        return f"Đảng bộ {self._type_word} {self.place}"


def official_divisions(*, source: Path | None = None, province: str | None = None) -> list[Division]:
    """The list (provinces, each followed by its communes), from the package's data or another version's
    `nested-divisions.json` (`source`); only one province when `province` names it by code or by name."""
    provinces = json.loads(Path(source or NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    if province:
        wanted = province.strip()
        provinces = [
            item
            for item in provinces
            if (
                int(wanted) == item["code"]
                if wanted.isdigit()
                else fold_for_search(wanted) == fold_for_search(item["name"])
            )
        ]
        if not provinces:
            raise ValidationError(_("No province “%(name)s” in the official list.") % {"name": province})
    divisions = []
    for item in provinces:
        code = f"{item['code']:02d}"
        # The list names a city with its kind ("Thành phố Hà Nội") and a province without ("Hưng Yên").
        place = item["name"].removeprefix("Thành phố ").removeprefix("Tỉnh ")
        divisions.append(Division(official_code=code, place=place, division_type=item["division_type"]))
        divisions += [
            Division(
                official_code=f"{ward['code']:05d}",
                # The list names a commune with its kind: "Phường Phố Hiến".
                place=ward["name"][len(ward["division_type"]) :].strip(),
                division_type=ward["division_type"],
                province_code=code,
            )
            for ward in item["wards"]
        ]
    return divisions


@dataclasses.dataclass
class DivisionsPlan:
    """What loading the list would change. `blocked`: areas gone from the list that cannot simply close."""

    add: list[Division] = dataclasses.field(default_factory=list)
    rename: list[tuple[AdminArea, Division]] = dataclasses.field(default_factory=list)
    move: list[tuple[AdminArea, Division]] = dataclasses.field(default_factory=list)
    close: list[AdminArea] = dataclasses.field(default_factory=list)
    merge: list[tuple[AdminArea, str]] = dataclasses.field(default_factory=list)
    blocked: list[AdminArea] = dataclasses.field(default_factory=list)
    unchanged: int = 0
    committees: list[Division] = dataclasses.field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(map(len, (self.add, self.rename, self.move, self.close, self.merge, self.committees)))


def divisions_plan(
    divisions: list[Division], *, merges: dict[str, str] | None = None, committees: bool = False, whole: bool = True
) -> DivisionsPlan:
    """Compare the list with the tree; writes nothing. `merges`: official code of a division gone from the list →
    the code of the one that took it. `whole`: the list is the whole country (otherwise one province, and only the
    areas under that province can be found gone)."""
    merges = merges or {}
    listed = {division.official_code: division for division in divisions}
    loaded = AdminArea.objects.filter(official_code__isnull=False)
    if not whole:
        provinces = loaded.filter(official_code__in=[d.official_code for d in divisions if not d.province_code])
        loaded = loaded.filter(
            functools.reduce(operator.or_, (Q(path__startswith=area.path) for area in provinces), Q(pk__in=[]))
        )
    existing = {area.official_code: area for area in loaded.filter(closed_on__isnull=True)}
    parents = {area.path: area.official_code for area in AdminArea.objects.filter(kind=AreaKind.PROVINCE)}
    plan = DivisionsPlan()
    for division in divisions:
        area = existing.get(division.official_code)
        if area is None:
            plan.add.append(division)
            continue
        same = True
        if area.name != division.name:
            plan.rename.append((area, division))
            same = False
        if division.province_code and parents.get(area.path[: AdminArea.steplen]) != division.province_code:
            plan.move.append((area, division))
            same = False
        plan.unchanged += same
    for code, area in sorted(existing.items()):
        if code in listed:
            continue
        if code in merges:
            if merges[code] not in listed:
                raise ValidationError(
                    _("“%(code)s” is not in the official list: %(name)s cannot be merged into it.")
                    % {"code": merges[code], "name": area.name}
                )
            plan.merge.append((area, merges[code]))
        elif (
            area.numchild
            and AdminArea.objects.filter(path__startswith=area.path, depth__gt=area.depth, closed_on__isnull=True)
            .exclude(official_code__in=listed)
            .exists()
        ):
            plan.blocked.append(area)
        else:
            plan.close.append(area)
    # Deepest first: a commune closes or merges before the province it was in.
    plan.close.sort(key=lambda area: -area.depth)
    plan.merge.sort(key=lambda item: -item[0].depth)
    if committees:
        plan.committees = _committees_missing(divisions)
    return plan


def _committees_missing(divisions: list[Division]) -> list[Division]:
    """The divisions no committee mirrors yet: none serves the area and none has the rule's code."""
    served = set(
        Unit.objects.filter(
            kind__in=(UnitKind.PROVINCE_COMMITTEE, UnitKind.COMMUNE_COMMITTEE), area__official_code__isnull=False
        ).values_list("area__official_code", flat=True)
    )
    coded = set(
        Unit.objects.filter(code__in=[division.committee_code for division in divisions]).values_list("code", flat=True)
    )
    return [
        division
        for division in divisions
        if division.official_code not in served and division.committee_code not in coded
    ]


@transaction.atomic
def divisions_load(
    *,
    actor: "User",
    divisions: list[Division],
    merges: dict[str, str] | None = None,
    committees: bool = False,
    whole: bool = True,
    reason: str = "",
) -> DivisionsPlan:
    """Apply `divisions_plan` through the area and unit services, in one transaction: all of it or nothing."""
    plan = divisions_plan(divisions, merges=merges, committees=committees, whole=whole)
    if plan.blocked:
        raise ValidationError(
            _(
                "These divisions are no longer in the official list but still have villages or residential groups: "
                "name the division each merged into. %(names)s"
            )
            % {"names": ", ".join(f"{area.name} ({area.official_code})" for area in plan.blocked)}
        )
    by_code = {}

    def area_of(official_code: str) -> AdminArea:
        if official_code not in by_code:
            by_code[official_code] = AdminArea.objects.get(official_code=official_code, closed_on__isnull=True)
        return by_code[official_code]

    for division in plan.add:
        by_code[division.official_code] = area_create(
            actor=actor,
            parent=area_of(division.province_code) if division.province_code else None,
            code=division.code,
            name=division.name,
            kind=division.kind,
            official_code=division.official_code,
            reason=reason,
        )
    for area, division in plan.rename:
        area_update(actor=actor, area=area, name=division.name, reason=reason)
    for area, division in plan.move:
        area_move(actor=actor, area=area, new_parent=area_of(division.province_code), reason=reason)
    for area, into in plan.merge:
        area_merge(actor=actor, source=area, target=area_of(into), reason=reason)
    for area in plan.close:
        area_close(actor=actor, area=area, reason=reason)
    if plan.committees:
        _committees_create(actor=actor, divisions=plan.committees, area_of=area_of, reason=reason)
    return plan


def _committees_create(*, actor: "User", divisions: list[Division], area_of, reason: str) -> None:
    central = Unit.objects.get_root_nodes().first()
    if central is None:
        central = unit_create(
            actor=None, parent=None, code=CENTRAL_CODE, name=CENTRAL_NAME, kind=UnitKind.CENTRAL, reason=reason
        )
    province_committees = {
        unit.area.official_code: unit
        for unit in Unit.objects.filter(
            kind=UnitKind.PROVINCE_COMMITTEE, area__official_code__isnull=False
        ).select_related("area")
    }
    for division in divisions:
        if division.kind == AreaKind.PROVINCE:
            parent, kind = central, UnitKind.PROVINCE_COMMITTEE
        else:
            parent = province_committees.get(division.province_code)
            if parent is None:
                raise ValidationError(
                    _("No province committee serves the province of %(name)s: create it first (or load the province).")
                    % {"name": division.name}
                )
            kind = UnitKind.COMMUNE_COMMITTEE
        unit = unit_create(
            actor=actor,
            parent=parent,
            code=division.committee_code,
            name=division.committee_name,
            kind=kind,
            area=area_of(division.official_code),
            reason=reason,
        )
        if kind == UnitKind.PROVINCE_COMMITTEE:
            province_committees[division.official_code] = unit
