"""Reads of the reports app, always narrowed to what the actor may see (outside it: 404).

Who may FILE a report (document of the rule):
- for a party unit: a user holding REPORT_SUBMIT on that unit (a role on it or on a unit above it);
- for a village / residential group: a user holding REPORT_SUBMIT on a party unit that serves that area or
  an area above it (Unit.area; e.g. the village's cell, or the commune committee serving the commune),
  and the members of the support teams working in that very area (rollout Team.area).
Who REVIEWS (accepts, returns): REPORT_MANAGE on the issuing unit. Both may see the report; nobody else.
Templates are seen by report managers and filers of the template's unit subtree and of the units below
a unit that prescribed it (a template set by the province is used by its communes).
"""

import dataclasses

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import granted_unit_paths, has_unit_permission, published_above_q, restrict_areas, units_q
from accounts.selectors import nearest_role_holders, role_holders
from orgunits.models import AdminArea, Unit
from rollout.models import Team, TeamMember

from .choices import AREAS_OF_BOTH_KINDS, FILED_STATES, TargetTree
from .models import Campaign, ReportTemplate, Submission

# Templates


def templates_visible_to(actor: User) -> QuerySet[ReportTemplate]:
    if not actor.is_authenticated:
        return ReportTemplate.objects.none()
    paths = set(granted_unit_paths(actor, Permission.REPORT_MANAGE)) | set(
        granted_unit_paths(actor, Permission.REPORT_SUBMIT)
    )
    if not paths:
        return ReportTemplate.objects.none()
    return ReportTemplate.objects.filter(published_above_q(paths, subtrees=sorted(paths)))


def template_get(*, actor: User, pk: int) -> ReportTemplate:
    return get_object_or_404(templates_visible_to(actor).select_related("unit"), pk=pk)


def latest_versions(templates: QuerySet[ReportTemplate]) -> QuerySet[ReportTemplate]:
    newer = ReportTemplate.objects.filter(code=OuterRef("code"), version__gt=OuterRef("version"))
    return templates.filter(~Exists(newer))


def template_versions(template: ReportTemplate) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(code=template.code).order_by("-version")


# Who files, who reviews


def filer_area_q(actor: User) -> Q:
    """Areas the actor may file for: served by units in REPORT_SUBMIT scope (and below), or worked by their team."""
    areas = restrict_areas(AdminArea.objects.all(), actor, Permission.REPORT_SUBMIT)
    team_areas = Team.objects.filter(memberships__user=actor, area__isnull=False).values("area")
    return Q(target_area__in=areas.values("pk")) | Q(target_area__in=team_areas)


def can_file(user, submission: Submission) -> bool:
    if not user.is_authenticated:
        return False
    if submission.target_unit_id:
        return has_unit_permission(user, Permission.REPORT_SUBMIT, submission.target_unit)
    return Submission.objects.filter(filer_area_q(user), pk=submission.pk).exists()


def can_review(user, submission_or_campaign) -> bool:
    campaign = getattr(submission_or_campaign, "campaign", submission_or_campaign)
    return user.is_authenticated and has_unit_permission(user, Permission.REPORT_MANAGE, campaign.unit)


def submissions_visible_to(actor: User) -> QuerySet[Submission]:
    if not actor.is_authenticated:
        return Submission.objects.none()
    condition = (
        units_q(actor, Permission.REPORT_MANAGE, via="campaign__unit__")
        | units_q(actor, Permission.REPORT_SUBMIT, via="target_unit__")
        | filer_area_q(actor)
    )
    return Submission.objects.filter(condition)


def submission_get(*, actor: User, pk: int) -> Submission:
    return get_object_or_404(
        submissions_visible_to(actor).select_related(
            "campaign__unit", "campaign__template", "target_unit", "target_area"
        ),
        pk=pk,
    )


def submissions_to_file(*, actor: User) -> QuerySet[Submission]:
    """Reports the actor may file that are not filed yet, soonest deadline first."""
    if not actor.is_authenticated:
        return Submission.objects.none()
    condition = units_q(actor, Permission.REPORT_SUBMIT, via="target_unit__") | filer_area_q(actor)
    return (
        Submission.objects.filter(condition)
        .exclude(state__in=FILED_STATES)
        .select_related("campaign", "target_unit", "target_area")
        .order_by("campaign__deadline", "id")
    )


def submissions_overdue_for(*, actor: User, day) -> QuerySet[Submission]:
    """Reports of the campaigns the actor's units issued (REPORT_MANAGE) still not filed after their deadline
    (`day` is today): the reports to chase, oldest deadline first."""
    if not actor.is_authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.filter(units_q(actor, Permission.REPORT_MANAGE, via="campaign__unit__"))
        .filter(campaign__deadline__lt=day)
        .exclude(state__in=FILED_STATES)
        .select_related("campaign", "target_unit", "target_area")
        .order_by("campaign__deadline", "id")
    )


def campaigns_visible_to(actor: User) -> QuerySet[Campaign]:
    if not actor.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(units_q(actor, Permission.REPORT_MANAGE, via="unit__"))


def campaign_get(*, actor: User, pk: int) -> Campaign:
    """A campaign the actor manages (its table shows every target's report): 404 otherwise."""
    return get_object_or_404(campaigns_visible_to(actor).select_related("unit", "template", "parent"), pk=pk)


def units_issuing_for(actor: User) -> QuerySet[Unit]:
    """Units the actor may issue campaigns from (open units in REPORT_MANAGE scope that have units or areas below)."""
    return Unit.objects.filter(units_q(actor, Permission.REPORT_MANAGE), closed_on__isnull=True).order_by("path")


def child_campaigns(submission: Submission) -> QuerySet[Campaign]:
    """Campaigns the submission's unit issued for it: the reports it compiles from (latest first)."""
    if not submission.target_unit_id:
        return Campaign.objects.none()
    return Campaign.objects.filter(parent=submission.campaign, unit=submission.target_unit).order_by(
        "-created_at", "-id"
    )


# Reminders: whom to write to


def filers_to_remind(submission: Submission) -> list[int]:
    """The closest filers: roles on the unit itself (or on the units serving the area) and the area's teams;
    when there are none, the roles on the nearest unit above. Not everyone up the tree."""
    if submission.target_unit_id:
        return list(nearest_role_holders(submission.target_unit, Permission.REPORT_SUBMIT).values_list("pk", flat=True))
    area = submission.target_area
    team_users = set(TeamMember.objects.filter(team__area=area, user__is_active=True).values_list("user_id", flat=True))
    serving = role_holders(Unit.objects.filter(area=area), Permission.REPORT_SUBMIT)
    users = team_users | set(serving.values_list("pk", flat=True))
    if not users:
        for path in reversed(area.path[:end] for end in range(AdminArea.steplen, len(area.path), AdminArea.steplen)):
            serving = role_holders(Unit.objects.filter(area__path=path), Permission.REPORT_SUBMIT)
            users = set(serving.values_list("pk", flat=True))
            if users:
                break
    return sorted(users)


# Tables


@dataclasses.dataclass(frozen=True)
class Timeliness:
    label: str
    level: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def __add__(self, other: "Timeliness") -> "Timeliness":
        return Timeliness(
            self.label,
            self.level,
            self.expected + other.expected,
            self.submitted + other.submitted,
            self.on_time + other.on_time,
            self.late + other.late,
            self.missing + other.missing,
        )

    @property
    def completeness(self):
        from common.indicators import ratio

        return ratio(self.submitted, self.expected)

    @property
    def timeliness(self):
        from common.indicators import ratio

        return ratio(self.on_time, self.expected)


def target_kind_label(campaign: Campaign) -> str:
    from orgunits.choices import AreaKind, UnitKind

    choices = dict(UnitKind.choices) | dict(AreaKind.choices) | {AREAS_OF_BOTH_KINDS: TargetTree.AREAS.label}
    return str(choices.get(campaign.target_kind, campaign.target_kind))


def campaign_timeliness(campaign: Campaign) -> Timeliness:
    """Expected, submitted (filed now), on time / late (by the first submission), missing (not filed)."""
    deadline = campaign.deadline_end
    rows = campaign.submissions.values_list("state", "first_submitted_at")
    result = Timeliness(f"{campaign.unit.name}", target_kind_label(campaign))
    for state, first_submitted_at in rows:
        filed = state in FILED_STATES
        result += Timeliness(
            "",
            "",
            expected=1,
            submitted=int(filed),
            on_time=int(filed and first_submitted_at is not None and first_submitted_at <= deadline),
            late=int(filed and first_submitted_at is not None and first_submitted_at > deadline),
            missing=int(not filed),
        )
    return result


def timeliness_tree(campaign: Campaign) -> tuple[list[Timeliness], list[Timeliness]]:
    """One row per issuing unit (this campaign and every campaign issued for it below), and the totals per level.

    Levels are the kinds of target (e.g. commune committees, then villages, then cells).
    """
    per_unit: list[Timeliness] = []
    frontier = [campaign]
    depth = 0
    while frontier and depth < 6:
        for item in frontier:
            per_unit.append(campaign_timeliness(item))
        frontier = list(Campaign.objects.filter(parent__in=frontier).select_related("unit").order_by("unit__path"))
        depth += 1
    per_level: dict[str, Timeliness] = {}
    for row in per_unit:
        per_level[row.level] = per_level.get(row.level, Timeliness(row.level, row.level)) + row
    return per_unit, list(per_level.values())


def campaign_rows(campaign: Campaign) -> list[Submission]:
    return list(
        campaign.submissions.select_related("target_unit", "target_area").order_by(
            "target_unit__path", "target_area__path", "id"
        )
    )
