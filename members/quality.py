"""The data-quality worklist: named checks over the member registry, computed on the fly, scoped to the actor.

Each check is a small object (code, name, severity, which unit answers for it) with a `find` function
that takes a queryset of members and yields `(member id, member's cell path)` for every member with
the problem. The report runs every check on the current members (on the roll: active, exempt,
temporarily exempt, transferred out temporarily) of one unit's subtree that the actor may see,
through `members_visible_to`; the other member of a duplicate may be anywhere in the registry.

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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad, Replace, Substr
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from common.dates import add_years, today
from orgunits.choices import CELL_KINDS
from orgunits.models import AdminArea, Unit
from orgunits.selectors import unit_children

from .choices import CURRENT_STATUSES, MemberStatus, Standing
from .models import Member
from .selectors import current_member_counts, members_visible_to
from .validation import MINIMUM_JOINING_AGE, citizen_id_errors

BATCH = 5_000
PROBATION_LIMIT_YEARS = 2
COMMUNE_DEPTH = 3  # central → province → commune


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    NOTICE = "notice", _("Notice")


SEVERITY_WEIGHT = {Severity.ERROR: 1.0, Severity.WARNING: 0.5, Severity.NOTICE: 0.25}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


class Responsible(models.TextChoices):
    COMMUNE = "commune", _("Commune party committee")
    CELL = "cell", _("Cell")


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
)  # fmt: skip
CHECKS_BY_CODE = {check.code: check for check in CHECKS}


@dataclasses.dataclass(frozen=True)
class Problem:
    check: QualityCheck
    member_id: int
    unit_path: str

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
    unit: Unit
    summary: UnitScore
    check_counts: list[tuple[QualityCheck, int]]
    children: list[UnitScore]
    problems: list[Problem]


def quality_score(members: int, weights: Iterable[float]) -> float | None:
    """100 × (1 − Σ each member's worst-problem weight ÷ current members); None for a unit with no member."""
    if not members:
        return None
    return round(max(0.0, 100.0 * (1 - sum(weights) / members)), 1)


def scoped_members(*, actor, unit: Unit) -> QuerySet[Member]:
    """Current members of `unit`'s subtree that `actor` may see (`actor=None`: the system, from a command)."""
    members = Member.objects.all() if actor is None else members_visible_to(actor, Permission.MEMBER_VIEW)
    return members.filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES)


def find_problems(members: QuerySet[Member], checks: Iterable[QualityCheck] = CHECKS) -> Iterator[Problem]:
    for check in checks:
        for member_id, path in check.find(members):
            yield Problem(check=check, member_id=member_id, unit_path=path)


def _unit_score(unit: Unit, members: int, problems: list[Problem]) -> UnitScore:
    worst: dict[int, float] = {}
    for problem in problems:
        weight = SEVERITY_WEIGHT[problem.check.severity]
        worst[problem.member_id] = max(worst.get(problem.member_id, 0.0), weight)
    return UnitScore(
        unit=unit,
        members=members,
        members_with_problems=len(worst),
        problems=len(problems),
        score=quality_score(members, worst.values()),
    )


def quality_report(*, actor, unit: Unit, children: list[Unit] | None = None) -> QualityReport:
    """Every check over `unit`'s subtree: counts per check, a score for the unit and each child, the problems.

    A fixed number of queries whatever the number of members: one or two per check, one for the
    member counts, one for the children.
    """
    members = scoped_members(actor=actor, unit=unit)
    problems = sorted(
        find_problems(members),
        key=lambda p: (SEVERITY_ORDER[p.check.severity], CHECKS.index(p.check), p.unit_path, p.member_id),
    )
    if children is None:
        children = list(unit_children(actor=actor, unit=unit)) if actor is not None else _all_children(unit)
    # Scope covers whole subtrees, so every member under a unit the actor may open is counted.
    counts = current_member_counts([unit, *children])
    per_check = Counter(problem.check.code for problem in problems)
    by_child: dict[int, list[Problem]] = defaultdict(list)
    child_by_path = {child.path: child for child in children}
    child_length = (unit.depth + 1) * Unit.steplen
    for problem in problems:
        child = child_by_path.get(problem.unit_path[:child_length])
        if child is not None:
            by_child[child.pk].append(problem)
    return QualityReport(
        unit=unit,
        summary=_unit_score(unit, counts[unit.pk], problems),
        check_counts=[(check, per_check[check.code]) for check in CHECKS],
        children=[_unit_score(child, counts[child.pk], by_child[child.pk]) for child in children],
        problems=problems,
    )


def _all_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, closed_on__isnull=True))


def problem_rows(problems: list[Problem]) -> list[dict]:
    """The members and responsible units of a page of problems: two queries for the whole page."""
    members = Member.objects.select_related("unit").in_bulk([problem.member_id for problem in problems])
    units = {unit.path: unit for unit in Unit.objects.filter(path__in={p.responsible_path for p in problems})}
    return [
        {
            "check": problem.check,
            "member": members.get(problem.member_id),
            "responsible": units.get(problem.responsible_path),
        }
        for problem in problems
    ]
