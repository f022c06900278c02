"""Reads of the rollout figures, teams and worklists, always narrowed to what the actor may see."""

import dataclasses
import datetime
import math
from decimal import Decimal

from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, units_q
from common.collation import vietnamese_sort_key
from meetings.choices import Presence
from meetings.models import Attendance, Meeting
from meetings.selectors import held_q
from members.choices import CURRENT_STATUSES, MemberStatus
from members.models import Member
from orgunits.models import Unit

from .choices import COUNTER_FIELDS, PlanStatus
from .models import (
    HelpSession,
    HelpSessionMember,
    RolloutPlan,
    Team,
    TeamMember,
    TrainingSession,
    UnitDailyDelta,
    UnitFigures,
    WorklistAssignment,
)


@dataclasses.dataclass(frozen=True)
class Figures:
    unit: Unit
    members: int = 0
    eligible: int = 0
    activated: int = 0
    verified: int = 0
    help_sessions: int = 0

    @property
    def percent_of_members(self) -> Decimal | None:
        return _percent(self.activated, self.members)

    @property
    def percent_of_eligible(self) -> Decimal | None:
        """Activated over eligible: can pass 100%, since members not judged eligible activate too."""
        return _percent(self.activated, self.eligible)

    @property
    def not_activated(self) -> int:
        return max(self.members - self.activated, 0)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def unit_for_figures(*, actor: User, code: str, permission: str = Permission.ROLLOUT_VIEW) -> Unit:
    """The unit named by `code` if the actor may see its figures (or, with `permission`, more), else 404."""
    if not actor.is_authenticated:
        raise Http404
    return get_object_or_404(Unit.objects.filter(units_q(actor, permission)), code=code)


def unit_figures(*, unit: Unit, as_of: datetime.date | None = None) -> Figures:
    """A unit subtree's figures: one primary-key read now, one indexed SUM for a past date."""
    if as_of is None or as_of >= timezone.localdate():
        row = UnitFigures.objects.filter(unit=unit).values(*COUNTER_FIELDS).first() or {}
        return Figures(unit=unit, **row)
    sums = UnitDailyDelta.objects.filter(unit=unit, day__lte=as_of).aggregate(
        **{name: Sum(name) for name in COUNTER_FIELDS}
    )
    return Figures(unit=unit, **{name: sums[name] or 0 for name in COUNTER_FIELDS})


def current_members_counted(units: list[Unit]) -> dict[int, int]:
    """Current members in each unit's subtree as the rollout's counters keep them (exact, in the same transaction as
    every change): one query for all the units, whatever their size. What other figures divide by."""
    counts = dict(UnitFigures.objects.filter(unit_id__in=[unit.pk for unit in units]).values_list("unit_id", "members"))
    return {unit.pk: counts.get(unit.pk, 0) for unit in units}


def child_figures(*, unit: Unit, as_of: datetime.date | None = None) -> list[Figures]:
    """The figures of each child unit, laggards first (lowest % of eligible, then of all members)."""
    children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path"))
    ids = [child.pk for child in children]
    if as_of is None or as_of >= timezone.localdate():
        rows = {
            row["unit_id"]: row
            for row in UnitFigures.objects.filter(unit_id__in=ids).values("unit_id", *COUNTER_FIELDS)
        }
    else:
        rows = {
            row["unit_id"]: row
            for row in UnitDailyDelta.objects.filter(unit_id__in=ids, day__lte=as_of)
            .values("unit_id")
            .annotate(**{name: Sum(name) for name in COUNTER_FIELDS})
        }
    figures = [
        Figures(unit=child, **{name: (rows.get(child.pk) or {}).get(name) or 0 for name in COUNTER_FIELDS})
        for child in children
    ]

    def lag(figure: Figures):
        eligible = figure.percent_of_eligible
        members = figure.percent_of_members
        return (eligible if eligible is not None else Decimal(1000), members if members is not None else Decimal(1000))

    # Equal figures in the Vietnamese order of the names ("Chi bộ thôn 2" before "Chi bộ thôn 10").
    return sorted(figures, key=lambda figure: (*lag(figure), vietnamese_sort_key(figure.unit.name)))


def activation_trend(
    *, unit: Unit, days: int = 30, today: datetime.date | None = None
) -> list[tuple[datetime.date, int, int]]:
    """(day, activated, members) at the end of each of the last `days` days: two queries."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    before = UnitDailyDelta.objects.filter(unit=unit, day__lt=start).aggregate(a=Sum("activated"), m=Sum("members"))
    activated, members = before["a"] or 0, before["m"] or 0
    changes = {
        row["day"]: row
        for row in UnitDailyDelta.objects.filter(unit=unit, day__gte=start, day__lte=today).values(
            "day", "activated", "members"
        )
    }
    series = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        if day in changes:
            activated += changes[day]["activated"]
            members += changes[day]["members"]
        series.append((day, activated, members))
    return series


# The forecast looks this far ahead at most: a date further away says nothing about this rollout.
FORECAST_HORIZON_DAYS = 365


def target_date(
    *,
    figures: Figures,
    trend: list[tuple[datetime.date, int, int]],
    target_percent: int = 95,
    horizon_days: int = FORECAST_HORIZON_DAYS,
) -> datetime.date | None:
    """When activations reach `target_percent` of members at the pace of the trend's period; None if there is no
    progress, or if that pace would need more than `horizon_days` (not reached at this pace)."""
    needed = math.ceil(figures.members * target_percent / 100) - figures.activated
    if needed <= 0:
        return trend[-1][0] if trend else timezone.localdate()
    if len(trend) < 2:
        return None
    gained = trend[-1][1] - trend[0][1]
    if gained <= 0:
        return None
    per_day = gained / (len(trend) - 1)
    days = math.ceil(needed / per_day)
    if days > horizon_days:
        return None
    return trend[-1][0] + datetime.timedelta(days=days)


def activated_since(*, unit: Unit, figures: Figures, day: datetime.date) -> int:
    """Activations in the unit's subtree after the end of `day` up to `figures` (one indexed SUM)."""
    before = unit_figures(unit=unit, as_of=day)
    return figures.activated - before.activated


def lagging_cells(*, actor: User, below: int, limit: int = 5) -> tuple[int, list[Figures]]:
    """Cells in the actor's scope (ROLLOUT_VIEW) where less than `below` % of members have activated: how many, and
    the `limit` furthest behind. Two queries, on the counters, whatever the number of cells."""
    from orgunits.choices import CELL_KINDS

    if not actor.is_authenticated:
        return 0, []
    share = ExpressionWrapper(F("figures__activated") * 100.0 / F("figures__members"), output_field=FloatField())
    cells = (
        Unit.objects.filter(units_q(actor, Permission.ROLLOUT_VIEW), kind__in=CELL_KINDS, closed_on__isnull=True)
        .filter(figures__members__gt=0)
        .annotate(share=share)
        .filter(share__lt=below)
    )
    count = cells.count()
    rows = cells.select_related("figures").order_by("share", "path")[:limit]
    return count, [
        Figures(unit=cell, **{name: getattr(cell.figures, name) for name in COUNTER_FIELDS}) for cell in rows
    ]


# Teams and worklists


def teams_visible_to(actor: User) -> QuerySet[Team]:
    """Teams in units where the actor sees members, and teams the actor belongs to."""
    if not actor.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(
        units_q(actor, Permission.MEMBER_VIEW, via="unit__") | Q(memberships__user=actor)
    ).distinct()


def team_get(*, actor: User, pk: int) -> Team:
    return get_object_or_404(teams_visible_to(actor).select_related("unit", "area"), pk=pk)


def is_team_member(*, user, team: Team) -> bool:
    return user.is_authenticated and TeamMember.objects.filter(team=team, user=user).exists()


def can_manage_team(*, user, team: Team) -> bool:
    return has_unit_permission(user, Permission.MEMBER_CHANGE, team.unit)


def team_area_members(team: Team) -> QuerySet[Member]:
    """Current members the team serves: its unit's subtree, narrowed to its village or group if it has one."""
    members = Member.objects.filter(unit__path__startswith=team.unit.path, status__in=CURRENT_STATUSES)
    if team.area_id:
        members = members.filter(residence_area__path__startswith=team.area.path)
    return members


def worklist_members(team: Team) -> QuerySet[Member]:
    """The members the team still has to help: those of its area not activated, or activated but never using the
    app. A supporter reaches these members, and no others, through the team."""
    activated = User.objects.filter(member=OuterRef("pk"), activated_at__isnull=False)
    used = User.objects.filter(member=OuterRef("pk"), account_use__first_used_at__isnull=False)
    return (
        team_area_members(team)
        .annotate(is_activated=Exists(activated), is_used=Exists(used))
        .filter(Q(is_activated=False) | Q(is_used=False))
    )


@dataclasses.dataclass(frozen=True)
class WorklistRow:
    member: Member
    is_activated: bool
    was_contacted: bool
    age: int
    missed_last_meeting: bool
    assignee_name: str
    reasons: list[str]


def team_worklist(*, team: Team, today: datetime.date | None = None) -> list[WorklistRow]:
    """Members of the team's area not yet activated, or activated but never using the app (stuck), prioritised:
    never contacted first, then 70 or older, then exempt, then absent from their cell's last held meeting
    (where a supporter can catch them at the next one). A fixed number of queries whatever the length.
    """
    today = today or timezone.localdate()
    contacted = HelpSessionMember.objects.filter(member=OuterRef("pk"), session__team=team)
    last_held_meeting = (
        Meeting.objects.filter(held_q(), unit=OuterRef("unit"), starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .values("pk")[:1]
    )
    present = Attendance.objects.filter(
        meeting=OuterRef("last_meeting"), member=OuterRef("pk"), presence=Presence.PRESENT
    )
    members = (
        worklist_members(team)
        .annotate(was_contacted=Exists(contacted))
        .annotate(last_meeting=Subquery(last_held_meeting))
        .annotate(was_at_last_meeting=Exists(present))
        .select_related("unit")
        .order_by("sort_name", "id")
    )
    assignees = {
        row.member_id: str(row.assignee)
        for row in WorklistAssignment.objects.filter(team=team).select_related("assignee")
    }
    rows = []
    for member in members:
        age = (
            today.year
            - member.date_of_birth.year
            - ((today.month, today.day) < (member.date_of_birth.month, member.date_of_birth.day))
        )
        reasons = []
        if not member.was_contacted:
            reasons.append(_("never contacted"))
        if age >= 70:
            reasons.append(_("70 or older"))
        if member.status == MemberStatus.EXEMPT:
            reasons.append(_("exempt"))
        missed_last_meeting = member.last_meeting is not None and not member.was_at_last_meeting
        if missed_last_meeting:
            reasons.append(_("absent from the last meeting"))
        if member.is_activated:
            reasons.append(_("activated but not using the app"))
        rows.append(
            WorklistRow(
                member=member,
                is_activated=member.is_activated,
                was_contacted=member.was_contacted,
                age=age,
                missed_last_meeting=missed_last_meeting,
                assignee_name=assignees.get(member.pk, ""),
                reasons=reasons,
            )
        )
    rows.sort(
        key=lambda row: (
            row.was_contacted,
            row.age < 70,
            row.member.status != MemberStatus.EXEMPT,
            not row.missed_last_meeting,
        )
    )
    return rows


@dataclasses.dataclass(frozen=True)
class SupporterFigures:
    name: str
    sessions: int
    members_helped: int


def team_figures(*, team: Team) -> list[SupporterFigures]:
    """Sessions and members helped per supporter of the team."""
    rows = (
        HelpSession.objects.filter(team=team)
        .values("supporter")
        .annotate(sessions=Count("id", distinct=True), helped=Count("helped"))
    )
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[row["supporter"] for row in rows])}
    return [SupporterFigures(names[row["supporter"]], row["sessions"], row["helped"]) for row in rows]


def plan_in_force(*, unit: Unit, today: datetime.date | None = None) -> RolloutPlan | None:
    """The plan the unit's figures are measured against: the latest issued (by `today`) of the nearest unit, the
    unit itself or an ancestor, that issued one. One query."""
    today = today or timezone.localdate()
    plans = RolloutPlan.objects.filter(
        unit__path__in=Unit.ancestor_paths(unit.path), issued_on__lte=today
    ).select_related("unit")
    return plans.order_by("-unit__depth", "-issued_on", "-id").first()


def unit_plans(*, unit: Unit) -> QuerySet[RolloutPlan]:
    """The plans the unit itself issued, latest first."""
    return RolloutPlan.objects.filter(unit=unit).order_by("-issued_on", "-id")


@dataclasses.dataclass(frozen=True)
class PlanProgress:
    plan: RolloutPlan
    figures: Figures
    today: datetime.date
    started_at: Decimal  # % of eligible members activated when the plan was issued
    expected: Decimal  # where a steady pace from there to the target stands today

    @property
    def current(self) -> Decimal:
        return self.figures.percent_of_eligible or Decimal(0)

    @property
    def days_left(self) -> int:
        return max((self.plan.deadline - self.today).days, 0)

    @property
    def status(self) -> str:
        if self.current >= self.plan.target_percent:
            return PlanStatus.MET
        if self.today > self.plan.deadline:
            return PlanStatus.MISSED
        return PlanStatus.ON_TRACK if self.current >= self.expected else PlanStatus.BEHIND

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label


def plan_progress(*, unit: Unit, figures: Figures, today: datetime.date | None = None) -> PlanProgress | None:
    """The unit's progress against the plan in force for it (None: no plan): its % of eligible members activated
    now, and where it should stand today had it moved at a steady pace from the plan's day to the target by the
    deadline. Two queries."""
    today = today or timezone.localdate()
    plan = plan_in_force(unit=unit, today=today)
    if plan is None:
        return None
    before = unit_figures(unit=unit, as_of=plan.issued_on - datetime.timedelta(days=1))
    started_at = min(before.percent_of_eligible or Decimal(0), Decimal(plan.target_percent))
    share = Decimal(min(max((today - plan.issued_on).days, 0), (plan.deadline - plan.issued_on).days))
    share /= Decimal((plan.deadline - plan.issued_on).days)
    expected = (started_at + (plan.target_percent - started_at) * share).quantize(Decimal("0.1"))
    return PlanProgress(plan=plan, figures=figures, today=today, started_at=started_at, expected=expected)


def training_sessions(*, unit: Unit) -> QuerySet[TrainingSession]:
    """Trainings held by the unit and the units below it, latest first."""
    return (
        TrainingSession.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("-held_on", "-id")
    )


@dataclasses.dataclass(frozen=True)
class TrainingTotals:
    sessions: int
    trained: int


def training_totals(*, unit: Unit) -> TrainingTotals:
    """How many trainings the unit's subtree held, and how many people they trained (one query)."""
    totals = training_sessions(unit=unit).aggregate(sessions=Count("id"), trained=Sum("trainee_count"))
    return TrainingTotals(sessions=totals["sessions"], trained=totals["trained"] or 0)
