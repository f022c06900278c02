"""Keeping the per-unit rollout counters in step with the change, inside the change's own transaction.

Design: `UnitFigures` holds, for every unit, the current figures of its whole subtree (so any unit's
figure is one primary-key read), and `UnitDailyDelta` holds how those figures moved on each day (so
the figure as of a past date is one indexed SUM over (unit, day <= date)). A change to a member is
turned into a vector of differences and added in SQL (`column = column + …`) to the member's cell and each
of its ancestors. The rows are locked in primary-key order first, so concurrent changes never deadlock
and never lose an increment.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from members.choices import CURRENT_STATUSES
from orgunits.models import Unit

from .choices import COUNTER_FIELDS
from .models import RecordVerification, UnitDailyDelta, UnitFigures


@dataclasses.dataclass(frozen=True)
class Counts:
    members: int = 0
    eligible: int = 0
    activated: int = 0
    verified: int = 0
    help_sessions: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, name) + getattr(other, name) for name in COUNTER_FIELDS))

    def __neg__(self) -> "Counts":
        return Counts(*(-getattr(self, name) for name in COUNTER_FIELDS))

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in COUNTER_FIELDS)

    def times(self, count: int) -> "Counts":
        return Counts(*(getattr(self, name) * count for name in COUNTER_FIELDS))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTER_FIELDS}


def member_counts(member, *, is_activated: bool, is_verified: bool) -> Counts:
    """What one member adds to their cell's figures."""
    if member.status not in CURRENT_STATUSES:
        return Counts()
    return Counts(members=1, eligible=int(member.is_eligible), activated=int(is_activated), verified=int(is_verified))


def activated_and_verified(member_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """Which of these members have an activated account, and which have verified their record: two queries."""
    from accounts.models import User

    ids = list(member_ids)
    activated = set(
        User.objects.filter(member_id__in=ids, activated_at__isnull=False).values_list("member_id", flat=True)
    )
    verified = set(RecordVerification.objects.filter(member_id__in=ids).values_list("member_id", flat=True))
    return activated, verified


def _by_unit(changes: Iterable[tuple[str, Counts]]) -> dict[int, Counts]:
    """{unit id: counts} for each (cell path, counts) added to that unit and every ancestor (one query)."""
    # Summed per cell first: an import adds thousands of members to a few hundred cells.
    by_cell: dict[str, Counts] = defaultdict(Counts)
    for path, counts in changes:
        if counts:
            by_cell[path] = by_cell[path] + counts
    by_path: dict[str, Counts] = defaultdict(Counts)
    for path, counts in by_cell.items():
        for ancestor in Unit.ancestor_paths(path):
            by_path[ancestor] = by_path[ancestor] + counts
    by_path = {path: counts for path, counts in by_path.items() if counts}
    if not by_path:
        return {}
    unit_ids = dict(Unit.objects.filter(path__in=list(by_path)).values_list("path", "id"))
    return {unit_ids[path]: counts for path, counts in by_path.items()}


def _add_now(by_unit: dict[int, Counts]) -> None:
    ids = sorted(by_unit)
    UnitFigures.objects.bulk_create([UnitFigures(unit_id=pk) for pk in ids], ignore_conflicts=True)
    # Lock in one global order (primary key) before adding: no deadlock between concurrent changes.
    list(UnitFigures.objects.select_for_update().filter(unit_id__in=ids).order_by("unit_id").values_list("pk"))
    _add(UnitFigures, by_unit)


def _add_on_day(by_unit: dict[int, Counts], day) -> None:
    ids = sorted(by_unit)
    UnitDailyDelta.objects.bulk_create([UnitDailyDelta(unit_id=pk, day=day) for pk in ids], ignore_conflicts=True)
    _add(UnitDailyDelta, by_unit, day=day)


def add_to_units(changes: Iterable[tuple[str, Counts]], *, day=None) -> None:
    """Add each (cell path, counts) to that unit and every ancestor, now and in the day's delta row."""
    by_unit = _by_unit(changes)
    if not by_unit:
        return
    _add_now(by_unit)
    _add_on_day(by_unit, day or timezone.localdate())


# Units per UPDATE: a CASE arm is two parameters, and SQLite takes at most 32,766 of them in a statement.
_UNITS_PER_UPDATE = 500


def _add(model, by_unit: dict[int, Counts], *, day=None) -> None:
    """Add each unit's counts to its row of `model` (the day's row for the deltas) with one UPDATE per
    500 units. Plain SQL: Django's Case/When built and compiled an expression per unit and counter, which took
    half a second for an import batch's few hundred units."""
    table = connection.ops.quote_name(model._meta.db_table)
    unit_column = connection.ops.quote_name(model._meta.get_field("unit").column)
    ids = sorted(by_unit)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _UNITS_PER_UPDATE):
            chunk = ids[start : start + _UNITS_PER_UPDATE]
            assignments, parameters = [], []
            for name in COUNTER_FIELDS:
                arms = [(pk, getattr(by_unit[pk], name)) for pk in chunk if getattr(by_unit[pk], name)]
                if not arms:
                    continue
                column = connection.ops.quote_name(name)
                assignments.append(
                    f"{column} = {column} + CASE {unit_column}" + " WHEN %s THEN %s" * len(arms) + " ELSE 0 END"
                )
                parameters.extend(value for arm in arms for value in arm)
            if not assignments:
                continue
            where = f"{unit_column} IN ({', '.join(['%s'] * len(chunk))})"
            parameters.extend(chunk)
            if day is not None:
                where += f" AND {connection.ops.quote_name(model._meta.get_field('day').column)} = %s"
                parameters.append(connection.ops.adapt_datefield_value(day))
            cursor.execute(f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}", parameters)


# The calls the member and account services make. Each takes what the service already has in hand.


def members_added(members) -> None:
    """New members (no account or verification yet) join their cells' figures."""
    add_to_units((member.unit.path, member_counts(member, is_activated=False, is_verified=False)) for member in members)


def members_added_counted(groups) -> None:
    """As `members_added`, for new members counted by cell, status and eligibility: (cell, status, is_eligible,
    how many)."""
    add_to_units(
        (
            unit.path,
            member_counts(_MemberState(status, is_eligible), is_activated=False, is_verified=False).times(count),
        )
        for unit, status, is_eligible, count in groups
    )


def member_changed(*, member, old_unit, old_status: str, old_is_eligible: bool) -> None:
    """After a member's cell, status or eligibility changed: move what they add from the old state to the new."""
    if (member.unit_id, member.status, member.is_eligible) == (old_unit.pk, old_status, old_is_eligible):
        return
    activated, verified = activated_and_verified([member.pk])
    flags = {"is_activated": member.pk in activated, "is_verified": member.pk in verified}
    before = member_counts(
        dataclasses.replace(_MemberState.of(member), status=old_status, is_eligible=old_is_eligible), **flags
    )
    after = member_counts(member, **flags)
    add_to_units([(old_unit.path, -before), (member.unit.path, after)])


def members_moved(*, members, from_unit, to_unit) -> None:
    """Current members moved from one cell to another (a merge): their whole contribution moves."""
    activated, verified = activated_and_verified(member.pk for member in members)
    total = Counts()
    for member in members:
        total = total + member_counts(member, is_activated=member.pk in activated, is_verified=member.pk in verified)
    add_to_units([(from_unit.path, -total), (to_unit.path, total)])


def account_activated(user) -> None:
    member = user.member
    if member is not None and member.status in CURRENT_STATUSES:
        add_to_units([(member.unit.path, Counts(activated=1))])


def accounts_activated_on_days(activations) -> None:
    """Many activations at once, each (cell path, day) counted on its own day of the history (a bulk load): the
    current figures in one pass, the history one day at a time."""
    by_day: dict = defaultdict(list)
    for path, day in activations:
        by_day[day].append((path, Counts(activated=1)))
    by_unit = _by_unit(pair for pairs in by_day.values() for pair in pairs)
    if not by_unit:
        return
    _add_now(by_unit)
    paths = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("path", "id"))
    for day in sorted(by_day):
        _add_on_day(_by_unit_known(by_day[day], paths), day)


def _by_unit_known(changes, unit_ids: dict[str, int]) -> dict[int, Counts]:
    """`_by_unit` with the units' ids already read (every ancestor's path is in `unit_ids`)."""
    by_unit: dict[int, Counts] = defaultdict(Counts)
    for path, counts in changes:
        for ancestor in Unit.ancestor_paths(path):
            by_unit[unit_ids[ancestor]] = by_unit[unit_ids[ancestor]] + counts
    return dict(by_unit)


def record_verified(member) -> None:
    if member.status in CURRENT_STATUSES:
        add_to_units([(member.unit.path, Counts(verified=1))])


def help_given(units, *, day=None) -> None:
    """One help-session count per member helped, at the cell they attended (on `day`, today by default)."""
    add_to_units(((unit.path, Counts(help_sessions=1)) for unit in units), day=day)


@dataclasses.dataclass(frozen=True)
class _MemberState:
    status: str
    is_eligible: bool

    @classmethod
    def of(cls, member) -> "_MemberState":
        return cls(status=member.status, is_eligible=member.is_eligible)


def subtree_moved(*, unit, old_parent, new_parent) -> None:
    """After `orgunits.services.unit_move`: the subtree's figures leave the old ancestors and join the new ones.

    To be called inside the move's transaction (the lead wires it; until then `recount_rollout --fix`).
    """
    row = UnitFigures.objects.filter(unit_id=unit.pk).values(*COUNTER_FIELDS).first()
    if row:
        counts = Counts(**row)
        add_to_units([(old_parent.path, -counts), (new_parent.path, counts)])


def members_changed(changes) -> None:
    """`member_changed` for many members at once: `changes` is (member, old_unit, old_status, old_is_eligible)."""
    changes = [
        change
        for change in changes
        if (change[0].unit_id, change[0].status, change[0].is_eligible) != (change[1].pk, change[2], change[3])
    ]
    if not changes:
        return
    activated, verified = activated_and_verified(change[0].pk for change in changes)
    moves = []
    for member, old_unit, old_status, old_is_eligible in changes:
        flags = {"is_activated": member.pk in activated, "is_verified": member.pk in verified}
        before = member_counts(
            dataclasses.replace(_MemberState.of(member), status=old_status, is_eligible=old_is_eligible), **flags
        )
        moves += [(old_unit.path, -before), (member.unit.path, member_counts(member, **flags))]
    add_to_units(moves)
