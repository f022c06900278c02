"""The data-quality worklist: named checks over the member registry, stored per pass, read per unit.

Each check is a small object (code, name, severity, which unit answers for it) with a `find` function
that takes a queryset of members and yields `(member id, member's cell path)` for every member with
the problem. A pass (`quality_refresh`: nightly, or when an official asks) runs every check on the
current members (on the roll: active, exempt, temporarily exempt, transferred out temporarily) of the
whole registry, since the other member of a duplicate may be anywhere, and stores the findings with a
summary row per unit. A unit's page (`quality_report`) then reads its summary, its children's, and a page
of the findings under its path: a few indexed reads at any level, where running the checks for a
province took a minute and for the whole country five (benchmarks/README.md).

Duplicates despite the unique constraints: citizen ID and card number are unique as stored, but
the same number still reaches two records when it was typed or imported in another form: a
spreadsheet that turned "001089012345" into the number 1089012345 (leading zeros lost), or
"0010 8901 2345" / "12.345.678" with separators. The checks compare numbers with separators
removed and padded back to their full length, so these count as the same number.

The data-quality score of a unit: each current member weighs 1 if their worst problem is an error,
0.5 if a warning, 0.25 if a notice, 0 if they have none; score = 100 × (1 − total weight ÷ current
members), so 100 means no problem found and 0 means every member has an error.
"""

import dataclasses
import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad, Replace, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from common.bulk import insert_rows
from common.dates import add_years, today
from common.queueing import enqueue_on_commit
from orgunits.choices import CELL_KINDS
from orgunits.models import AdminArea, Unit
from orgunits.selectors import unit_children

from ..choices import (
    CURRENT_STATUSES,
    MemberReviewFlagKind,
    MemberStatus,
    QualityRunState,
    Responsible,
    Severity,
    Standing,
)
from ..models import Member, MemberReviewFlag
from ..validation import MINIMUM_JOINING_AGE, citizen_id_errors
from .models import QualityFinding, QualityRun, QualityUnitSummary

BATCH = 5_000
PROBATION_LIMIT_YEARS = 2
COMMUNE_DEPTH = 3  # central → province → commune


SEVERITY_WEIGHT = {Severity.ERROR: 1.0, Severity.WARNING: 0.5, Severity.NOTICE: 0.25}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


Found = Iterable[tuple[int, str]]


@dataclasses.dataclass(frozen=True)
class QualityCheck:
    code: str
    name: str
    severity: str
    responsible: str
    find: Callable[[QuerySet[Member]], Found]

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)


def _ids_and_paths(members: QuerySet[Member]) -> Found:
    return members.values_list("id", "unit__path").order_by().iterator(chunk_size=BATCH)


def _normalised(field: str, length: int):
    """The number with spaces, dots and dashes removed, left-padded with zeros to its full length."""
    value = F(field)
    for separator in (" ", ".", "-"):
        value = Replace(value, Value(separator), Value(""))
    return LPad(value, length, Value("0"))


def _shared_number(field: str, length: int) -> Callable[[QuerySet[Member]], Found]:
    def find(members: QuerySet[Member]) -> Found:
        duplicated = (
            Member.objects.filter(**{f"{field}__isnull": False})
            .exclude(**{field: ""})
            .annotate(key=_normalised(field, length))
            .values("key")
            .annotate(total=Count("id"))
            .filter(total__gt=1)
            .values("key")
        )
        return _ids_and_paths(
            members.filter(**{f"{field}__isnull": False})
            .annotate(key=_normalised(field, length))
            .filter(key__in=duplicated)
        )

    return find


def find_invalid_citizen_id(members: QuerySet[Member]) -> Found:
    """Format, province code, sex/century digit and birth-year digits (members.validation), in streamed batches."""
    rows = (
        members.filter(citizen_id__isnull=False)
        .exclude(citizen_id="")
        .values_list("id", "unit__path", "citizen_id", "sex", "date_of_birth")
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    for member_id, path, citizen_id, sex, date_of_birth in rows:
        if citizen_id_errors(citizen_id, sex=sex, date_of_birth=date_of_birth):
            yield member_id, path


def find_missing_or_closed_place(members: QuerySet[Member]) -> Found:
    """Registered on something that is not a cell (a committee), or on a cell that has been closed."""
    return _ids_and_paths(members.filter(Q(unit__closed_on__isnull=False) | ~Q(unit__kind__in=CELL_KINDS)))


def find_cell_outside_residence_commune(members: QuerySet[Member]) -> Found:
    """The cell serves a village of one commune, the member lives in another, and no temporary transfer explains it.

    Only cells with an area (village and residential-group cells) are compared: a school's or a
    company's cell has members from anywhere.
    """
    commune_length = 2 * AdminArea.steplen
    return _ids_and_paths(
        members.filter(unit__area__depth__gte=2, residence_area__isnull=False)
        .exclude(status=MemberStatus.TRANSFERRED_OUT_TEMPORARILY)
        .annotate(
            cell_commune=Substr("unit__area__path", 1, commune_length),
            home_commune=Substr("residence_area__path", 1, commune_length),
        )
        .exclude(cell_commune=F("home_commune"))
    )


def find_official_before_joining(members: QuerySet[Member]) -> Found:
    return _ids_and_paths(members.filter(official_on__isnull=False, official_on__lte=F("joined_on")))


def find_joined_before_18(members: QuerySet[Member]) -> Found:
    """A year difference of 18 or less narrows the rows in SQL; the exact birthday test is done here."""
    rows = (
        members.annotate(joining_age_years=ExtractYear("joined_on") - ExtractYear("date_of_birth"))
        .filter(joining_age_years__lte=MINIMUM_JOINING_AGE)
        .values_list("id", "unit__path", "date_of_birth", "joined_on")
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    for member_id, path, date_of_birth, joined_on in rows:
        if joined_on < add_years(date_of_birth, MINIMUM_JOINING_AGE):
            yield member_id, path


def find_probationary_too_long(members: QuerySet[Member]) -> Found:
    limit = add_years(today(), -PROBATION_LIMIT_YEARS)
    return _ids_and_paths(members.filter(standing=Standing.PROBATIONARY, joined_on__lt=limit))


def find_missing_phone(members: QuerySet[Member]) -> Found:
    """Eligible for the app but no phone: the account cannot be activated by SMS."""
    return _ids_and_paths(members.filter(is_eligible=True, phone=""))


def find_probable_duplicates(members: QuerySet[Member]) -> Found:
    """Another record with the same name (without diacritics or case) and the same date of birth.

    The (name, date of birth) pairs held by two records or more are found with one grouped pass over
    the registry, then matched against the members in scope: probing an index per member is far slower
    for common names (thousands of "nguyen van hung"), and no index covers the two columns together.
    """
    key = Concat("search_name", Value("|"), Cast("date_of_birth", output_field=models.CharField()))
    shared = (
        Member.objects.annotate(key=key).values("key").annotate(total=Count("id")).filter(total__gt=1).values("key")
    )
    return _ids_and_paths(members.annotate(key=key).filter(key__in=shared))


def find_problems_recorded_at_import(members: QuerySet[Member]) -> Found:
    """A roster import kept the member with a value that breaks a rule of the record (members.importing): open
    until the field is corrected, by the officer or through a correction request (members.services.member_update
    resolves the flag). The value's own check (an invalid citizen ID, say) may list the member too."""
    flagged = MemberReviewFlag.objects.filter(kind=MemberReviewFlagKind.IMPORT_PROBLEM, resolved_at__isnull=True)
    return _ids_and_paths(members.filter(pk__in=flagged.values("member_id")))


CHECKS: tuple[QualityCheck, ...] = (
    QualityCheck("invalid_citizen_id", _("Invalid citizen ID"), Severity.ERROR, Responsible.COMMUNE,
                 find_invalid_citizen_id),
    QualityCheck("duplicate_citizen_id", _("Citizen ID shared with another member"), Severity.ERROR,
                 Responsible.COMMUNE, _shared_number("citizen_id", 12)),
    QualityCheck("duplicate_card_number", _("Party card number shared with another member"), Severity.ERROR,
                 Responsible.COMMUNE, _shared_number("card_number", 8)),
    QualityCheck("missing_or_closed_place", _("Place of activity missing or closed"), Severity.ERROR,
                 Responsible.COMMUNE, find_missing_or_closed_place),
    QualityCheck("cell_outside_residence_commune", _("Cell outside the commune of residence, no transfer"),
                 Severity.WARNING, Responsible.COMMUNE, find_cell_outside_residence_commune),
    QualityCheck("official_before_joining", _("Made official before joining"), Severity.ERROR,
                 Responsible.COMMUNE, find_official_before_joining),
    QualityCheck("joined_before_18", _("Joined before the age of 18"), Severity.ERROR, Responsible.COMMUNE,
                 find_joined_before_18),
    QualityCheck("probationary_too_long", _("Probationary for more than 24 months"), Severity.WARNING,
                 Responsible.CELL, find_probationary_too_long),
    QualityCheck("missing_phone", _("No phone for a member eligible for the app"), Severity.NOTICE,
                 Responsible.CELL, find_missing_phone),
    QualityCheck("probable_duplicate", _("Probable duplicate: same name and date of birth"), Severity.WARNING,
                 Responsible.COMMUNE, find_probable_duplicates),
    QualityCheck("recorded_at_import", _("Problem recorded at import, not corrected yet"), Severity.WARNING,
                 Responsible.COMMUNE, find_problems_recorded_at_import),
)  # fmt: skip
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


# The order of the worklist: errors first, then warnings and notices, each in the order of CHECKS.
POSITION = {
    check.code: position
    for position, check in enumerate(sorted(CHECKS, key=lambda check: SEVERITY_ORDER[check.severity]))
}


@dataclasses.dataclass(frozen=True)
class Problem:
    check: QualityCheck
    member_id: int
    unit_path: str

    @classmethod
    def of(cls, finding: QualityFinding) -> "Problem":
        return cls(check=CHECKS_BY_CODE[finding.check_code], member_id=finding.member_id, unit_path=finding.unit_path)

    @property
    def responsible_path(self) -> str:
        """The commune committee above the member's cell (or the cell itself) that must correct it."""
        depth = len(self.unit_path) // Unit.steplen
        if self.check.responsible == Responsible.COMMUNE and depth >= COMMUNE_DEPTH:
            return self.unit_path[: COMMUNE_DEPTH * Unit.steplen]
        return self.unit_path


@dataclasses.dataclass
class UnitScore:
    unit: Unit
    members: int
    members_with_problems: int
    problems: int
    score: float | None


@dataclasses.dataclass
class QualityReport:
    """A unit's worklist as the newest finished pass found it. `problems` is ordered and not yet read: the page
    reads one page of it; `problem_count` is its length (from the summary rows, not counted again)."""

    unit: Unit
    run: QualityRun
    summary: UnitScore
    check_counts: list[tuple[QualityCheck, int]]
    children: list[UnitScore]
    problems: QuerySet[QualityFinding]
    problem_count: int


def quality_score(members: int, weights: Iterable[float]) -> float | None:
    """100 × (1 − Σ each member's worst-problem weight ÷ current members); None for a unit with no member."""
    if not members:
        return None
    return round(max(0.0, 100.0 * (1 - sum(weights) / members)), 1)


def find_problems(members: QuerySet[Member], checks: Iterable[QualityCheck] = CHECKS) -> Iterator[Problem]:
    for check in checks:
        for member_id, path in check.find(members):
            yield Problem(check=check, member_id=member_id, unit_path=path)


# -- the stored pass -----------------------------------------------------------------------------------------------

FINDING_BATCH = 10_000
_FINDING_COLUMNS = ["run_id", "check_code", "position", "member_id", "unit_path"]
_SUMMARY_COLUMNS = [
    "run_id",
    "unit_id",
    "members",
    "members_with_problems",
    "problems",
    "weight_total",
    "check_counts",
]
# A pass still "running" after this long died with its process: it no longer holds back a new one.
RUN_STALE_AFTER = datetime.timedelta(hours=6)


@dataclasses.dataclass
class _Figures:
    members: int = 0
    members_with_problems: int = 0
    problems: int = 0
    weight_total: float = 0.0
    check_counts: Counter = dataclasses.field(default_factory=Counter)


def _store_pass(run: QualityRun) -> None:
    members = Member.objects.filter(status__in=CURRENT_STATUSES)
    worst: dict[int, tuple[str, float]] = {}  # member id → (cell path, worst weight)
    checks_by_cell: dict[str, Counter] = defaultdict(Counter)
    batch, problems = [], 0
    for problem in find_problems(members):
        code = problem.check.code
        batch.append((run.pk, code, POSITION[code], problem.member_id, problem.unit_path))
        weight = SEVERITY_WEIGHT[problem.check.severity]
        if weight > worst.get(problem.member_id, ("", 0.0))[1]:
            worst[problem.member_id] = (problem.unit_path, weight)
        checks_by_cell[problem.unit_path][code] += 1
        if len(batch) >= FINDING_BATCH:
            insert_rows(QualityFinding, _FINDING_COLUMNS, batch)
            problems += len(batch)
            batch = []
    insert_rows(QualityFinding, _FINDING_COLUMNS, batch)
    problems += len(batch)

    # Every unit's figures over its subtree, added up from its cells (what each member adds goes to every ancestor).
    figures: dict[str, _Figures] = defaultdict(_Figures)
    members_by_cell = (
        members.order_by().values("unit__path").annotate(total=Count("id")).values_list("unit__path", "total")
    )
    checked = 0
    for path, total in members_by_cell:
        checked += total
        for ancestor in Unit.ancestor_paths(path):
            figures[ancestor].members += total
    for path, weight in worst.values():
        for ancestor in Unit.ancestor_paths(path):
            figures[ancestor].members_with_problems += 1
            figures[ancestor].weight_total += weight
    for path, counts in checks_by_cell.items():
        total = sum(counts.values())
        for ancestor in Unit.ancestor_paths(path):
            figures[ancestor].problems += total
            figures[ancestor].check_counts.update(counts)
    unit_ids: dict[str, int] = {}
    paths = list(figures)
    for start in range(0, len(paths), 5_000):
        unit_ids.update(Unit.objects.filter(path__in=paths[start : start + 5_000]).values_list("path", "id"))
    insert_rows(
        QualityUnitSummary,
        _SUMMARY_COLUMNS,
        [
            (
                run.pk,
                unit_ids[path],
                f.members,
                f.members_with_problems,
                f.problems,
                f.weight_total,
                json.dumps(dict(f.check_counts)),
            )
            for path, f in figures.items()
        ],
    )
    if connection.vendor == "postgresql":
        # Millions of rows new to the planner: without statistics it reads a commune's findings by a full scan.
        with connection.cursor() as cursor:
            for model in (QualityFinding, QualityUnitSummary):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    run.state, run.finished_at = QualityRunState.FINISHED, timezone.now()
    run.members_checked, run.problems = checked, problems
    run.save(update_fields=["state", "finished_at", "members_checked", "problems"])
    # The older passes go (their rows first, in one statement each: there are millions at national scale).
    older = QualityRun.objects.filter(pk__lt=run.pk).exclude(
        state=QualityRunState.RUNNING, started_at__gt=timezone.now() - RUN_STALE_AFTER
    )
    older_ids = list(older.values_list("pk", flat=True))
    QualityFinding.objects.filter(run_id__in=older_ids).delete()
    QualityUnitSummary.objects.filter(run_id__in=older_ids).delete()
    QualityRun.objects.filter(pk__in=older_ids).delete()


def quality_refresh() -> QualityRun:
    """Run every check over the whole registry and store what they find as the newest pass.

    The pass is written in one transaction: until it commits, the pages show the previous one. A pass that fails
    is kept as failed, with the reason, and the previous one stays in use.
    """
    run = QualityRun.objects.create()
    try:
        with transaction.atomic():
            _store_pass(run)
    except Exception as error:
        QualityRun.objects.filter(pk=run.pk).update(
            state=QualityRunState.FAILED, finished_at=timezone.now(), error=str(error)[:2_000]
        )
        raise
    return run


def running_pass() -> QualityRun | None:
    started_after = timezone.now() - RUN_STALE_AFTER
    return QualityRun.objects.filter(state=QualityRunState.RUNNING, started_at__gt=started_after).first()


def quality_refresh_request(*, actor: User, unit: Unit) -> bool:
    """An official asks for a new pass from the page of `unit`: queued unless one is running already (then False)."""
    require_unit_permission(actor, Permission.MEMBER_VIEW, unit)
    if running_pass() is not None:
        return False
    enqueue_on_commit("members.tasks.quality_refresh_task")
    return True


def latest_pass() -> QualityRun | None:
    return QualityRun.objects.filter(state=QualityRunState.FINISHED).order_by("-pk").first()


def _unit_score(unit: Unit, row: QualityUnitSummary | None) -> UnitScore:
    if row is None:
        return UnitScore(unit=unit, members=0, members_with_problems=0, problems=0, score=None)
    return UnitScore(
        unit=unit,
        members=row.members,
        members_with_problems=row.members_with_problems,
        problems=row.problems,
        score=quality_score(row.members, [row.weight_total]),
    )


def quality_report(
    *, actor: User, unit: Unit, check: QualityCheck | None = None, children: list[Unit] | None = None
) -> QualityReport | None:
    """`unit`'s worklist from the newest finished pass (None before the first): counts per check, the unit's and
    each child's score, and the problems (only `check`'s when given). A handful of indexed reads at any level.

    `actor` None: the system (a command), every child; otherwise the children the actor may open. Roles cover
    whole subtrees, so whoever may open `unit` may see every finding under it.
    """
    run = latest_pass()
    if run is None:
        return None
    if children is None:
        children = list(unit_children(actor=actor, unit=unit)) if actor is not None else _all_children(unit)
    rows = {row.unit_id: row for row in QualityUnitSummary.objects.filter(run=run, unit__in=[unit, *children])}
    own = rows.get(unit.pk)
    counts = own.check_counts if own else {}
    problems = QualityFinding.objects.filter(run=run, unit_path__startswith=unit.path)
    if check is not None:
        problems = problems.filter(check_code=check.code)
    return QualityReport(
        unit=unit,
        run=run,
        summary=_unit_score(unit, own),
        check_counts=[(each, counts.get(each.code, 0)) for each in CHECKS],
        children=[_unit_score(child, rows.get(child.pk)) for child in children],
        problems=problems.order_by("position", "unit_path", "member_id"),
        problem_count=counts.get(check.code, 0) if check is not None else (own.problems if own else 0),
    )


def _all_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, closed_on__isnull=True))


def problem_rows(findings: Iterable[QualityFinding], run: QualityRun) -> list[dict]:
    """The members and responsible units of a page of findings: two queries for the whole page. `changed`: the
    record was edited after the pass began (the problem may be fixed already)."""
    problems = [Problem.of(finding) for finding in findings]
    members = Member.objects.select_related("unit").in_bulk([problem.member_id for problem in problems])
    units = {unit.path: unit for unit in Unit.objects.filter(path__in={p.responsible_path for p in problems})}
    rows = []
    for problem in problems:
        member = members.get(problem.member_id)
        rows.append(
            {
                "check": problem.check,
                "member": member,
                "responsible": units.get(problem.responsible_path),
                "changed": member is not None and member.updated_at > run.started_at,
            }
        )
    return rows
