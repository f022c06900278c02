"""Reads of the yearly rating, always narrowed to what the actor may see.

A member sees their own ratings (every year). Ratings of others are seen with MEMBER_VIEW over their cell; the
cell's secretary records the cell's proposals (MEETING_MANAGE); the committee that issued the campaign decides
(RATING_DECIDE). Outside scope a campaign or a rating does not exist (404).
"""

import dataclasses

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, units_q
from meetings.models import Vote
from orgunits.models import Unit
from orgunits.selectors import unit_children

from .choices import GRADE_ORDER, Grade, Stage
from .models import MemberRating, RatingCampaign
from .rules import excellent_allowed


def campaigns_visible_to(actor: User) -> QuerySet[RatingCampaign]:
    """Campaigns issued by a unit the actor sees members of (or above it, for a secretary's cell)."""
    if not actor.is_authenticated:
        return RatingCampaign.objects.none()
    cells = MemberRating.objects.filter(units_q(actor, Permission.MEMBER_VIEW, via="unit__")).values("campaign_id")
    return (
        RatingCampaign.objects.filter(Q(units_q(actor, Permission.MEMBER_VIEW, via="unit__")) | Q(pk__in=cells))
        .select_related("unit")
        .order_by("-year", "unit__path")
    )


def campaign_get(*, actor: User, pk: int) -> RatingCampaign:
    return get_object_or_404(campaigns_visible_to(actor), pk=pk)


def can_decide(*, user: User, campaign: RatingCampaign) -> bool:
    return has_unit_permission(user, Permission.RATING_DECIDE, campaign.unit)


def can_propose(*, user: User, unit: Unit) -> bool:
    return has_unit_permission(user, Permission.MEETING_MANAGE, unit)


def issuing_units(*, actor: User) -> QuerySet[Unit]:
    """Committees the actor may issue a rating campaign for."""
    return Unit.objects.filter(units_q(actor, Permission.RATING_DECIDE), closed_on__isnull=True).order_by("path")


def campaign_unit_get(*, actor: User, campaign: RatingCampaign, code: str) -> Unit:
    """The campaign's committee, or a unit below it whose members the actor sees (404 otherwise)."""
    if not code:
        return campaign.unit
    return get_object_or_404(
        Unit.objects.filter(units_q(actor, Permission.MEMBER_VIEW), path__startswith=campaign.unit.path), code=code
    )


def ratings_in(*, actor: User, campaign: RatingCampaign, unit: Unit | None = None) -> QuerySet[MemberRating]:
    """The campaign's rows the actor may see, in one cell (or subtree) when `unit` is given."""
    rows = MemberRating.objects.filter(campaign=campaign).filter(units_q(actor, Permission.MEMBER_VIEW, via="unit__"))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.select_related("member", "unit").order_by("unit__path", "member__sort_name", "pk")


def rating_get(*, actor: User, pk: int) -> MemberRating:
    """A row the actor may see (their own, or with MEMBER_VIEW over its cell), or 404."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, Permission.MEMBER_VIEW, via="unit__") | Q(member__user=actor)
    return get_object_or_404(
        MemberRating.objects.filter(condition).select_related("campaign", "campaign__unit", "member", "unit"), pk=pk
    )


def own_ratings(*, user: User) -> QuerySet[MemberRating]:
    """The member's own ratings, every year, newest first."""
    if not user.is_authenticated or not user.member_id:
        return MemberRating.objects.none()
    return (
        MemberRating.objects.filter(member_id=user.member_id)
        .select_related("campaign", "campaign__unit", "unit")
        .order_by("-campaign__year", "-pk")
    )


@dataclasses.dataclass
class GradeCounts:
    unit: Unit | None
    rows: int = 0
    excluded: int = 0
    waiting: int = 0
    self_reviewed: int = 0
    proposed: int = 0
    decided: int = 0
    by_grade: dict = dataclasses.field(default_factory=dict)

    @property
    def grades(self) -> list[tuple[str, int]]:
        return [(Grade(grade).label, self.by_grade.get(grade, 0)) for grade in GRADE_ORDER]


_STAGE_FIELDS = {
    Stage.EXCLUDED: "excluded",
    Stage.WAITING: "waiting",
    Stage.SELF_REVIEWED: "self_reviewed",
    Stage.CELL_PROPOSED: "proposed",
    Stage.DECIDED: "decided",
}


def _add(counts: GradeCounts, stage: str, grade: str, number: int) -> None:
    counts.rows += number
    setattr(counts, _STAGE_FIELDS[stage], getattr(counts, _STAGE_FIELDS[stage]) + number)
    if stage == Stage.DECIDED:
        counts.by_grade[grade] = counts.by_grade.get(grade, 0) + number


def results(*, actor: User, campaign: RatingCampaign, unit: Unit) -> tuple[GradeCounts, list[GradeCounts]]:
    """The campaign's figures for `unit`'s subtree and for each of its children: rows by stage, grades decided.

    One grouped query by cell, then each cell's counts go to the child whose path starts the cell's path."""
    rows = ratings_in(actor=actor, campaign=campaign, unit=unit)
    children = {
        child.path: GradeCounts(unit=child) for child in unit_children(actor=actor, unit=unit, include_closed=True)
    }
    child_path_length = len(unit.path) + Unit.steplen
    total = GradeCounts(unit=unit)
    grouped = rows.values_list("unit__path", "stage", "grade").annotate(number=Count("pk")).order_by()
    for path, stage, grade, number in grouped:
        _add(total, stage, grade, number)
        if child := children.get(path[:child_path_length]):
            _add(child, stage, grade, number)
    return total, [counts for counts in children.values() if counts.rows]


@dataclasses.dataclass(frozen=True)
class QuotaStatus:
    excellent: int
    good: int
    allowed: int
    quota_percent: int

    @property
    def is_exceeded(self) -> bool:
        return self.excellent > self.allowed


def quota_status(*, campaign: RatingCampaign) -> QuotaStatus:
    """The decided "excellent" grades against the quota, over the whole campaign (exempt members never count)."""
    decided = dict(
        MemberRating.objects.filter(campaign=campaign, stage=Stage.DECIDED)
        .values_list("grade")
        .annotate(number=Count("pk"))
        .order_by()
    )
    excellent, good = decided.get(Grade.EXCELLENT, 0), decided.get(Grade.GOOD, 0)
    return QuotaStatus(
        excellent=excellent,
        good=good,
        allowed=excellent_allowed(excellent=excellent, good=good, quota_percent=campaign.excellent_quota_percent),
        quota_percent=campaign.excellent_quota_percent,
    )


def proposal_votes(*, rating: MemberRating):
    """Closed, passed votes of the meetings of the rating's cell in its year: what the cell's proposal may cite."""
    return (
        Vote.objects.filter(
            meeting__unit=rating.unit,
            closed_at__isnull=False,
            is_passed=True,
            opened_at__year__gte=rating.campaign.year,
        )
        .select_related("meeting")
        .order_by("-opened_at")
    )


def is_own(*, user: User, rating: MemberRating) -> bool:
    return user.is_authenticated and user.member_id == rating.member_id


def own_rating_get(*, user: User, pk: int) -> MemberRating:
    """One of the member's own ratings, or 404."""
    return get_object_or_404(own_ratings(user=user), pk=pk)
