"""Recounting the rollout figures from the members, users, verifications and help sessions themselves.

Used by `manage.py recount_rollout` to prove the counters exact, and to rebuild them after a load
that bypassed the services (the synthetic generator's COPY).
"""

import dataclasses
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .choices import COUNTER_FIELDS
from .counters import Counts
from .models import HelpSessionMember, UnitDailyDelta, UnitFigures

WRITE_BATCH = 1000


@dataclasses.dataclass(frozen=True)
class Difference:
    unit_code: str
    field: str
    kept: int
    counted: int
    # "figures": the current counter row; "history": the sum of the daily rows.
    where: str


def _member_counts(grouped):
    """The four member figures per group of `grouped` (a `.values(...)` of members), current members only."""
    return grouped.filter(status__in=CURRENT_STATUSES).annotate(
        members=Count("id"),
        eligible=Count("id", filter=Q(is_eligible=True)),
        activated=Count("id", filter=Q(user__activated_at__isnull=False)),
        verified=Count("id", filter=Q(record_verification__isnull=False)),
    )


def _counts_of(row: dict) -> Counts:
    return Counts(row["members"], row["eligible"], row["activated"], row["verified"])


def counted_figures() -> dict[int, Counts]:
    """Every unit's subtree figures, from scratch: two grouped scans, rolled up the tree in memory."""
    per_cell: dict[int, Counts] = defaultdict(Counts)
    for row in _member_counts(Member.objects.values("unit_id")):
        per_cell[row["unit_id"]] += _counts_of(row)
    for row in HelpSessionMember.objects.values("unit_id").annotate(total=Count("id")):
        per_cell[row["unit_id"]] += Counts(help_sessions=row["total"])
    paths = dict(Unit.objects.values_list("id", "path"))
    ids_by_path = {path: pk for pk, path in paths.items()}
    totals: dict[int, Counts] = defaultdict(Counts)
    for unit_id, counts in per_cell.items():
        for path in Unit.ancestor_paths(paths[unit_id]):
            totals[ids_by_path[path]] += counts
    return {pk: totals.get(pk, Counts()) for pk in paths}


def recounted_subtree(unit: Unit) -> dict[int, Counts]:
    """The five figures of `unit` and of each of its children, recounted from the rows under `unit` alone.

    One grouped scan of the subtree's members and one of its help sessions, grouped by the child's path
    prefix: the reference against which the kept counters (`unit_figures`, `child_figures`) are checked.
    """
    child_path_length = len(unit.path) + Unit.steplen
    children = dict(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).values_list("path", "id"))
    branch = Substr("unit__path", 1, child_path_length)
    per_branch: dict[str, Counts] = defaultdict(Counts)
    members = Member.objects.filter(unit__path__startswith=unit.path).annotate(branch=branch).values("branch")
    for row in _member_counts(members):
        per_branch[row["branch"]] += _counts_of(row)
    helped = (
        HelpSessionMember.objects.filter(unit__path__startswith=unit.path)
        .annotate(branch=branch)
        .values("branch")
        .annotate(total=Count("id"))
    )
    for row in helped:
        per_branch[row["branch"]] += Counts(help_sessions=row["total"])
    recounted = {unit.pk: sum(per_branch.values(), Counts())}
    recounted.update({pk: per_branch.get(path, Counts()) for path, pk in children.items()})
    return recounted


def find_differences() -> list[Difference]:
    counted = counted_figures()
    kept = {row["unit_id"]: row for row in UnitFigures.objects.values("unit_id", *COUNTER_FIELDS)}
    history = {
        row["unit_id"]: row
        for row in UnitDailyDelta.objects.values("unit_id").annotate(**{name: Sum(name) for name in COUNTER_FIELDS})
    }
    codes = dict(Unit.objects.values_list("id", "code"))
    differences = []
    for unit_id, counts in counted.items():
        for where, source in (("figures", kept), ("history", history)):
            row = source.get(unit_id) or {}
            for name in COUNTER_FIELDS:
                if (row.get(name) or 0) != getattr(counts, name):
                    differences.append(
                        Difference(codes[unit_id], name, row.get(name) or 0, getattr(counts, name), where)
                    )
    return sorted(differences, key=lambda d: (d.unit_code, d.where, d.field))


@transaction.atomic
def fix_differences() -> int:
    """Set every counter row to the recount, and add today's correction to the history so its sum agrees.

    Past days keep what was recorded then; the correction is dated today. Written in batches, so that a
    national rebuild (336,000 units) is a few hundred statements. Returns the units fixed.
    """
    # Lock the counters so no change slips in between the recount and the fix.
    list(UnitFigures.objects.select_for_update().order_by("unit_id").values_list("pk"))
    counted = counted_figures()
    kept = {row["unit_id"]: row for row in UnitFigures.objects.values("unit_id", *COUNTER_FIELDS)}
    history = {
        row["unit_id"]: row
        for row in UnitDailyDelta.objects.values("unit_id").annotate(**{name: Sum(name) for name in COUNTER_FIELDS})
    }
    today = timezone.localdate()
    todays_deltas = {delta.unit_id: delta for delta in UnitDailyDelta.objects.filter(day=today)}
    figures_new, figures_changed, deltas_new, deltas_changed = [], [], [], []
    for unit_id, counts in counted.items():
        target = counts.as_dict()
        row = kept.get(unit_id)
        if row is None:
            figures_new.append(UnitFigures(unit_id=unit_id, **target))
        elif any((row.get(name) or 0) != target[name] for name in COUNTER_FIELDS):
            figures_changed.append(UnitFigures(unit_id=unit_id, **target))
        past = history.get(unit_id) or {}
        correction = {name: target[name] - (past.get(name) or 0) for name in COUNTER_FIELDS}
        if any(correction.values()):
            delta = todays_deltas.get(unit_id)
            if delta is None:
                delta = UnitDailyDelta(unit_id=unit_id, day=today)
                deltas_new.append(delta)
            else:
                deltas_changed.append(delta)
            for name, amount in correction.items():
                setattr(delta, name, getattr(delta, name) + amount)
    UnitFigures.objects.bulk_create(figures_new, batch_size=WRITE_BATCH)
    UnitFigures.objects.bulk_update(figures_changed, COUNTER_FIELDS, batch_size=WRITE_BATCH)
    UnitDailyDelta.objects.bulk_create(deltas_new, batch_size=WRITE_BATCH)
    UnitDailyDelta.objects.bulk_update(deltas_changed, COUNTER_FIELDS, batch_size=WRITE_BATCH)
    return len({row.unit_id for row in (*figures_new, *figures_changed, *deltas_new, *deltas_changed)})
