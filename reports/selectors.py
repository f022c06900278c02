"""Reads of the reports app, always narrowed to what the actor may see (outside it: 404).

Who may FILE a report (document of the rule):
- for a party unit: a user holding REPORT_SUBMIT on that unit (a role on it or on a unit above it);
- for a village / residential group: a user holding REPORT_SUBMIT on a party unit that serves that area or
  an area above it (Unit.area; e.g. the village's cell, or the commune committee serving the commune) — in a
  People's Committee's campaign only a role on the unit serving that very village —, and the members of the
  support teams working in that very area (rollout Team.area).
  Also the village's head (a civic role on the village, accounts.CivicRole);
- for an organisation (an agency, a school...): its contact (a civic role on it), and those holding REPORT_SUBMIT
  on its own party unit when it has one.
Who REVIEWS (accepts, returns): REPORT_MANAGE on the issuing unit, or for a People's Committee's campaign a civic
role granting REPORT_MANAGE on that committee or one of its offices (the Culture–Society officer). Both may see
the report; nobody else.
Templates are seen by report managers and filers of the template's unit subtree and of the units below
a unit that prescribed it (a template set by the province is used by its communes).
"""

import dataclasses

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.choices import ROLE_PERMISSIONS, Permission
from accounts.models import User
from accounts.scoping import (
    civic_area_ids,
    civic_organisation_ids,
    granted_unit_paths,
    has_unit_permission,
    held_roles,
    published_above_q,
    restrict_areas,
    units_q,
)
from accounts.selectors import civic_role_holders, nearest_role_holders, role_holders
from orgunits.choices import OrganisationKind
from orgunits.models import AdminArea, Organisation, Unit
from rollout.models import Team, TeamMember

from .choices import AREAS_OF_BOTH_KINDS, FILED_STATES, PLACE_KINDS_SEPARATOR, TargetTree
from .models import Campaign, ReportTemplate, Submission

# Templates


def _serving_unit_paths(organisation_ids) -> set[str]:
    """The paths of the party units serving the areas of these organisations (a People's Committee uses the
    templates its commune's party committee and those above prescribe)."""
    if not organisation_ids:
        return set()
    areas = Organisation.objects.filter(pk__in=organisation_ids).values("area")
    return set(Unit.objects.filter(area__in=areas).values_list("path", flat=True))


def templates_visible_to(actor: User) -> QuerySet[ReportTemplate]:
    if not actor.is_authenticated:
        return ReportTemplate.objects.none()
    paths = set(granted_unit_paths(actor, Permission.REPORT_MANAGE)) | set(
        granted_unit_paths(actor, Permission.REPORT_SUBMIT)
    )
    served = _serving_unit_paths(civic_organisation_ids(actor, Permission.REPORT_MANAGE))
    if not paths and not served:
        return ReportTemplate.objects.none()
    return ReportTemplate.objects.filter(published_above_q(paths | served, subtrees=sorted(paths)))


def template_get(*, actor: User, pk: int) -> ReportTemplate:
    return get_object_or_404(templates_visible_to(actor).select_related("unit"), pk=pk)


def latest_versions(templates: QuerySet[ReportTemplate]) -> QuerySet[ReportTemplate]:
    newer = ReportTemplate.objects.filter(code=OuterRef("code"), version__gt=OuterRef("version"))
    return templates.filter(~Exists(newer))


def template_versions(template: ReportTemplate) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(code=template.code).order_by("-version")


# Who files, who reviews


def filer_area_q(actor: User) -> Q:
    """Areas the actor may file for: served by units in REPORT_SUBMIT scope (and below), worked by their team, or
    headed by them (a civic role on the village)."""
    areas = restrict_areas(AdminArea.objects.all(), actor, Permission.REPORT_SUBMIT)
    team_areas = Team.objects.filter(memberships__user=actor, area__isnull=False).values("area")
    # A People's Committee's campaign is the state's: there the party side files a village's report only through
    # the village's own cell (a role on the unit serving that very village), not from the committees above.
    own_villages = Unit.objects.filter(path__in=_own_filing_units(actor), area__isnull=False).values("area")
    condition = (
        Q(campaign__unit__isnull=False, target_area__in=areas.values("pk"))
        | Q(campaign__organisation__isnull=False, target_area__in=own_villages)
        | Q(target_area__in=team_areas)
    )
    # A village's head files its report to the People's Committee only: a party campaign's report holds the
    # party's own figures of the village, which are not theirs to read.
    heads = civic_area_ids(actor, Permission.REPORT_SUBMIT)
    if heads:
        condition |= Q(campaign__organisation__isnull=False, target_area__in=heads)
    return condition


def _own_filing_units(actor: User) -> list[str]:
    """The paths of the units the actor holds a role granting REPORT_SUBMIT on (themselves, not their subtrees)."""
    return [path for role, path in held_roles(actor) if Permission.REPORT_SUBMIT in ROLE_PERMISSIONS.get(role, ())]


def filer_organisation_q(actor: User) -> Q:
    """Organisations the actor may file for: through a civic role on them, or a role on their own party unit (its
    secretary; not the committees above it, whose campaigns are not the organisation's)."""
    return Q(target_organisation__in=civic_organisation_ids(actor, Permission.REPORT_SUBMIT)) | Q(
        target_organisation__party_unit__path__in=_own_filing_units(actor)
    )


def filer_q(actor: User) -> Q:
    """Every report the actor may file."""
    return (
        units_q(actor, Permission.REPORT_SUBMIT, via="target_unit__")
        | filer_area_q(actor)
        | filer_organisation_q(actor)
    )


def manager_q(actor: User, *, via: str = "campaign__") -> Q:
    """Campaigns (through `via`) the actor reviews: issued by a unit in REPORT_MANAGE scope, or by a People's
    Committee they follow through a civic role."""
    return units_q(actor, Permission.REPORT_MANAGE, via=f"{via}unit__") | Q(
        **{f"{via}organisation__in": civic_organisation_ids(actor, Permission.REPORT_MANAGE)}
    )


def can_file(user, submission: Submission) -> bool:
    if not user.is_authenticated:
        return False
    if submission.target_unit_id:
        return has_unit_permission(user, Permission.REPORT_SUBMIT, submission.target_unit)
    return Submission.objects.filter(filer_area_q(user) | filer_organisation_q(user), pk=submission.pk).exists()


def can_review(user, submission_or_campaign) -> bool:
    campaign = getattr(submission_or_campaign, "campaign", submission_or_campaign)
    if not user.is_authenticated:
        return False
    if campaign.unit_id:
        return has_unit_permission(user, Permission.REPORT_MANAGE, campaign.unit)
    return campaign.organisation_id in civic_organisation_ids(user, Permission.REPORT_MANAGE)


def submissions_visible_to(actor: User) -> QuerySet[Submission]:
    if not actor.is_authenticated:
        return Submission.objects.none()
    return Submission.objects.filter(manager_q(actor) | filer_q(actor))


def submission_get(*, actor: User, pk: int) -> Submission:
    return get_object_or_404(
        submissions_visible_to(actor).select_related(
            "campaign__unit",
            "campaign__organisation",
            "campaign__template",
            "target_unit",
            "target_area",
            "target_organisation",
        ),
        pk=pk,
    )


def submissions_to_file(*, actor: User) -> QuerySet[Submission]:
    """Reports the actor may file that are not filed yet, soonest deadline first."""
    if not actor.is_authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.filter(filer_q(actor))
        .exclude(state__in=FILED_STATES)
        .select_related("campaign", "target_unit", "target_area", "target_organisation")
        .order_by("campaign__deadline", "id")
    )


def submissions_overdue_for(*, actor: User, day) -> QuerySet[Submission]:
    """Reports of the campaigns the actor's units issued (REPORT_MANAGE) still not filed after their deadline
    (`day` is today): the reports to chase, oldest deadline first."""
    if not actor.is_authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.filter(manager_q(actor))
        .filter(campaign__deadline__lt=day)
        .exclude(state__in=FILED_STATES)
        .select_related("campaign", "target_unit", "target_area", "target_organisation")
        .order_by("campaign__deadline", "id")
    )


def campaigns_visible_to(actor: User) -> QuerySet[Campaign]:
    if not actor.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(manager_q(actor, via=""))


def campaign_get(*, actor: User, pk: int) -> Campaign:
    """A campaign the actor manages (its table shows every target's report): 404 otherwise."""
    return get_object_or_404(
        campaigns_visible_to(actor).select_related("unit", "organisation", "template", "parent"), pk=pk
    )


def units_issuing_for(actor: User) -> QuerySet[Unit]:
    """Units the actor may issue campaigns from (open units in REPORT_MANAGE scope that have units or areas below)."""
    return Unit.objects.filter(units_q(actor, Permission.REPORT_MANAGE), closed_on__isnull=True).order_by("path")


def organisations_issuing_for(actor: User) -> QuerySet[Organisation]:
    """The People's Committees whose campaigns the actor may issue (a civic role granting REPORT_MANAGE)."""
    return Organisation.objects.filter(
        pk__in=civic_organisation_ids(actor, Permission.REPORT_MANAGE),
        kind=OrganisationKind.PEOPLES_COMMITTEE,
        closed_on__isnull=True,
    ).select_related("area")


def may_issue(actor: User) -> bool:
    return units_issuing_for(actor).exists() or organisations_issuing_for(actor).exists()


def campaign_managers(campaign: Campaign) -> list[int]:
    """Whom a campaign's news goes to: the report managers of the issuing unit (or the nearest unit above with
    any), or those following a People's Committee's campaigns (civic roles on it or its offices)."""
    if campaign.unit_id:
        return list(nearest_role_holders(campaign.unit, Permission.REPORT_MANAGE).values_list("pk", flat=True))
    offices = Organisation.objects.filter(Q(pk=campaign.organisation_id) | Q(parent_id=campaign.organisation_id))
    return sorted(civic_role_holders(offices, Permission.REPORT_MANAGE).values_list("pk", flat=True))


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
    if submission.target_organisation_id:
        organisation = submission.target_organisation
        contacts = civic_role_holders(Organisation.objects.filter(pk=organisation.pk), Permission.REPORT_SUBMIT)
        users = set(contacts.values_list("pk", flat=True))
        if organisation.party_unit_id:
            # Only the roles on the organisation's own unit may file for it (filer_organisation_q).
            party = role_holders(Unit.objects.filter(pk=organisation.party_unit_id), Permission.REPORT_SUBMIT)
            users |= set(party.values_list("pk", flat=True))
        return sorted(users)
    area = submission.target_area
    team_users = set(TeamMember.objects.filter(team__area=area, user__is_active=True).values_list("user_id", flat=True))
    heads = set(
        civic_role_holders(AdminArea.objects.filter(pk=area.pk), Permission.REPORT_SUBMIT, field="area").values_list(
            "pk", flat=True
        )
    )
    serving = role_holders(Unit.objects.filter(area=area), Permission.REPORT_SUBMIT)
    users = team_users | heads | set(serving.values_list("pk", flat=True))
    # In a People's Committee's campaign the committees above a village do not file for it: nobody to fall back on.
    if not users and submission.campaign.unit_id:
        for path in reversed([area.path[:end] for end in range(AdminArea.steplen, len(area.path), AdminArea.steplen)]):
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
    if campaign.target_tree == TargetTree.PLACES:
        choices |= dict(OrganisationKind.choices)
        return ", ".join(str(choices.get(kind, kind)) for kind in campaign.target_kind.split(PLACE_KINDS_SEPARATOR))
    return str(choices.get(campaign.target_kind, campaign.target_kind))


def target_heading(campaign: Campaign) -> str:
    """The heading of the column naming each report's target: party units, or the villages and organisations."""
    return _("Unit") if campaign.target_tree == TargetTree.UNITS else _("Reporting place")


def campaign_timeliness(campaign: Campaign) -> Timeliness:
    """Expected, submitted (filed now), on time / late (by the first submission), missing (not filed)."""
    deadline = campaign.deadline_end
    rows = campaign.submissions.values_list("state", "first_submitted_at")
    result = Timeliness(f"{campaign.issuer.name}", target_kind_label(campaign))
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
        frontier = list(
            Campaign.objects.filter(parent__in=frontier).select_related("unit", "organisation").order_by("unit__path")
        )
        depth += 1
    per_level: dict[str, Timeliness] = {}
    for row in per_unit:
        per_level[row.level] = per_level.get(row.level, Timeliness(row.level, row.level)) + row
    return per_unit, list(per_level.values())


def campaign_rows(campaign: Campaign) -> list[Submission]:
    return list(
        campaign.submissions.select_related("target_unit", "target_area", "target_organisation").order_by(
            # Units, then villages, then organisations, whichever way the database sorts empty values.
            F("target_unit__path").asc(nulls_last=True),
            F("target_area__path").asc(nulls_last=True),
            F("target_organisation__name").asc(nulls_last=True),
            "id",
        )
    )
