"""Reads of admission and probation, always narrowed to what the actor may see.

A member sees their own case. Others see a case with MEMBER_VIEW over the member's cell, or as the committee that
decides (ADMISSION_DECIDE on the case's committee). Outside scope a case does not exist (404).
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, units_q
from common.dates import holidays_between
from meetings.models import Vote
from members.choices import CURRENT_STATUSES, Standing
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit

from . import rules
from .choices import FILING_STAGES, OPEN_CANDIDATE_STAGES, OPEN_STAGES, CandidateStage, ProbationStage
from .models import Candidate, ProbationCase


def waiting_q(via: str = "") -> Q:
    """Cases waiting for a decision: open, of a member still probationary and on a cell's roll (a record made
    official or closed by other means, e.g. an import, leaves its case aside)."""
    return Q(
        **{
            f"{via}stage__in": OPEN_STAGES,
            f"{via}member__standing": Standing.PROBATIONARY,
            f"{via}member__status__in": CURRENT_STATUSES,
        }
    )


def _visible_q(actor: User) -> Q:
    return (
        Q(member_id=actor.member_id or 0)
        | units_q(actor, Permission.MEMBER_VIEW, via="unit__")
        | units_q(actor, Permission.ADMISSION_DECIDE, via="committee__")
    )


def cases_visible_to(actor: User) -> QuerySet[ProbationCase]:
    if not actor.is_authenticated:
        return ProbationCase.objects.none()
    return (
        ProbationCase.objects.filter(_visible_q(actor))
        .select_related("member", "unit", "committee")
        .order_by("due_on", "pk")
    )


def case_get(*, actor: User, pk: int) -> ProbationCase:
    return get_object_or_404(cases_visible_to(actor), pk=pk)


def own_case(*, user: User) -> ProbationCase | None:
    if not user.is_authenticated or not user.member_id:
        return None
    return cases_visible_to(user).filter(member_id=user.member_id).first()


def probationary_members_visible_to(actor: User) -> QuerySet[Member]:
    """The current probationary members whose cases the actor may see (those a page opens lazily)."""
    if not actor.is_authenticated:
        return Member.objects.none()
    condition = units_q(actor, Permission.MEMBER_VIEW, via="unit__") | Q(pk=actor.member_id or 0)
    return Member.objects.filter(condition, standing=Standing.PROBATIONARY, status__in=CURRENT_STATUSES)


def open_cases(*, actor: User, unit: Unit | None = None) -> QuerySet[ProbationCase]:
    """Cases waiting for a decision, the earliest end of probation first; within `unit`'s subtree if given."""
    cases = cases_visible_to(actor).filter(waiting_q())
    if unit is not None:
        cases = cases.filter(Q(unit__path__startswith=unit.path) | Q(committee__path__startswith=unit.path))
    return cases


def late_flags(dues: list[datetime.date], day: datetime.date) -> list[bool]:
    """For each due date, whether its decision is late on `day`: one read of the holidays for the whole list."""
    past = [due for due in dues if due < day]
    holidays = holidays_between(min(past), day) if past else frozenset()
    return [due < day and rules.is_late(due, day, holidays) for due in dues]


def late_cases(*, actor: User, day: datetime.date, unit: Unit | None = None) -> list[ProbationCase]:
    """The late list: probation ended (the date moved past a day off) and not decided."""
    cases = list(open_cases(actor=actor, unit=unit).filter(due_on__lt=day))
    return [case for case, late in zip(cases, late_flags([case.due_on for case in cases], day), strict=True) if late]


def recently_decided(*, actor: User, since: datetime.date) -> QuerySet[ProbationCase]:
    return (
        cases_visible_to(actor)
        .exclude(stage__in=OPEN_STAGES)
        .filter(decided_on__gte=since)
        .order_by("-decided_on", "-pk")
    )


def unit_for_list(*, actor: User, code: str) -> Unit | None:
    """The unit a list is narrowed to, by code (404 outside the actor's scope); None when no code is given."""
    if not code:
        return None
    if not actor.is_authenticated:
        raise Http404
    scope = units_q(actor, Permission.MEMBER_VIEW) | units_q(actor, Permission.ADMISSION_DECIDE)
    return get_object_or_404(Unit.objects.filter(scope), code=code)


def cell_votes(*, case: ProbationCase) -> QuerySet[Vote]:
    """Closed, passed votes of the meetings of the member's cell since the admission: what the cell's vote may cite."""
    return (
        Vote.objects.filter(
            meeting__unit=case.unit,
            closed_at__isnull=False,
            is_passed=True,
            opened_at__date__gte=case.member.joined_on,
        )
        .select_related("meeting")
        .order_by("-opened_at")
    )


def is_own(*, user: User, case: ProbationCase) -> bool:
    return user.is_authenticated and user.member_id == case.member_id


def can_record(*, user: User, case: ProbationCase) -> bool:
    return case.stage in FILING_STAGES and has_unit_permission(user, Permission.MEETING_MANAGE, case.unit)


def can_decide(*, user: User, case: ProbationCase) -> bool:
    return case.stage in OPEN_STAGES and has_unit_permission(user, Permission.ADMISSION_DECIDE, case.committee)


def is_late(case: ProbationCase, day: datetime.date) -> bool:
    return case.stage in OPEN_STAGES and late_flags([case.due_on], day)[0]


def is_decided(case: ProbationCase) -> bool:
    return case.stage in (ProbationStage.OFFICIAL, ProbationStage.ENDED)


# == Candidates for admission ==


def _candidate_visible_q(actor: User) -> Q:
    return units_q(actor, Permission.MEMBER_VIEW, via="unit__") | units_q(
        actor, Permission.ADMISSION_DECIDE, via="committee__"
    )


def candidates_visible_to(actor: User) -> QuerySet[Candidate]:
    if not actor.is_authenticated:
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(_candidate_visible_q(actor))
        .select_related("unit", "committee", "introducer_1", "introducer_2", "member")
        .order_by("unit__path", "full_name", "pk")
    )


def candidate_get(*, actor: User, pk: int) -> Candidate:
    return get_object_or_404(candidates_visible_to(actor), pk=pk)


def proposing_cells(*, actor: User) -> QuerySet[Unit]:
    """The open cells the actor may propose candidates for."""
    return Unit.objects.filter(
        units_q(actor, Permission.MEETING_MANAGE), kind__in=CELL_KINDS, closed_on__isnull=True
    ).order_by("path")


def possible_introducers(*, candidate: Candidate) -> QuerySet[Member]:
    """Official current members of the candidate's cell."""
    return Member.objects.filter(
        unit_id=candidate.unit_id, standing=Standing.OFFICIAL, status__in=CURRENT_STATUSES
    ).order_by("sort_name", "pk")


def candidate_votes(*, candidate: Candidate) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(meeting__unit=candidate.unit, closed_at__isnull=False, is_passed=True)
        .select_related("meeting")
        .order_by("-opened_at")
    )


def can_follow(*, user: User, candidate: Candidate) -> bool:
    return candidate.stage in OPEN_CANDIDATE_STAGES and has_unit_permission(
        user, Permission.MEETING_MANAGE, candidate.unit
    )


def can_admit(*, user: User, candidate: Candidate) -> bool:
    return candidate.stage == CandidateStage.CELL_VOTED and has_unit_permission(
        user, Permission.ADMISSION_DECIDE, candidate.committee
    )
