"""Writes of the rollout: verifications, plans, teams, help sessions, worklist assignments."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission
from audit.services import creation_log
from common.freshness import changed, user_token
from members.choices import CURRENT_STATUSES, RecordAccessKind
from members.models import Member
from members.services import record_access_log

from . import counters
from .models import (
    HelpSession,
    HelpSessionMember,
    RecordVerification,
    RolloutPlan,
    Team,
    TeamMember,
    TrainingSession,
    WorklistAssignment,
)
from .selectors import is_team_member, team_area_members, worklist_members


@transaction.atomic
def member_verification_recorded(*, member: Member, when: datetime.datetime | None = None) -> RecordVerification:
    """The member confirmed their own record (called by the corrections workflow). Counted once per member."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    verification, created = RecordVerification.objects.get_or_create(
        member=member, defaults={"verified_at": when or timezone.now()}
    )
    if created:
        counters.record_verified(member)
    return verification


@transaction.atomic
def member_verifications_recorded_in_bulk(*, verifications: list[tuple[Member, datetime.datetime]]) -> int:
    """`member_verification_recorded` for many members, each at its own time (a load: the demo's weeks of
    rollout). Members who verified already are skipped; each verification counts on the day it happened.
    Returns how many were recorded."""
    when_by_member = {member.pk: when for member, when in verifications}
    members = list(
        Member.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=when_by_member)
        .order_by("pk")
    )
    verified = set(RecordVerification.objects.filter(member__in=members).values_list("member_id", flat=True))
    new = [member for member in members if member.pk not in verified]
    RecordVerification.objects.bulk_create(
        RecordVerification(member=member, verified_at=when_by_member[member.pk]) for member in new
    )
    by_day = defaultdict(list)
    for member in new:
        if member.status in CURRENT_STATUSES:
            by_day[timezone.localdate(when_by_member[member.pk])].append(
                (member.unit.path, counters.Counts(verified=1))
            )
    for day, changes in sorted(by_day.items()):
        counters.add_to_units(changes, day=day)
    return len(new)


@transaction.atomic
def team_create(*, actor: User, unit, name: str, kind: str, area=None, reason: str = "") -> Team:
    require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    team = Team(unit=unit, name=name.strip(), kind=kind, area=area)
    team.full_clean()
    team.save()
    creation_log(actor=actor, obj=team, reason=reason, unit=unit)
    return team


@transaction.atomic
def plan_create(
    *,
    actor: User,
    unit,
    number: str,
    issued_on: datetime.date,
    title: str,
    target_percent: int,
    deadline: datetime.date,
    reason: str = "",
) -> RolloutPlan:
    """Record the unit's rollout plan; from then on it is the plan in force for the unit's subtree (until a later
    one of the unit, or one of a unit below for that unit's own subtree)."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    if unit.closed_on is not None:
        raise ValidationError({"unit": _("This unit is closed.")})
    plan = RolloutPlan(
        unit=unit,
        number=number.strip(),
        issued_on=issued_on,
        title=title.strip(),
        target_percent=target_percent,
        deadline=deadline,
        created_by=actor,
    )
    if RolloutPlan.objects.filter(unit=unit, number=plan.number).exists():
        raise ValidationError({"number": _("This unit already has a plan with this number.")})
    plan.full_clean()
    plan.save()
    creation_log(actor=actor, obj=plan, reason=reason, unit=unit)
    return plan


@transaction.atomic
def training_record(
    *,
    actor: User,
    unit,
    held_on: datetime.date,
    place: str,
    topic: str,
    trainer: str,
    trainees: str,
    trainee_count: int,
    reason: str = "",
) -> TrainingSession:
    """Record a training the unit held for those who install and operate the app (not in the future)."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a training once it has taken place.")})
    session = TrainingSession(
        unit=unit,
        held_on=held_on,
        place=place.strip(),
        topic=topic.strip(),
        trainer=trainer.strip(),
        trainees=trainees.strip(),
        trainee_count=trainee_count,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    creation_log(actor=actor, obj=session, reason=reason, unit=unit)
    return session


@transaction.atomic
def team_member_add(*, actor: User, team: Team, user, affiliation: str, reason: str = "") -> TeamMember:
    require_unit_permission(actor, Permission.MEMBER_CHANGE, team.unit)
    membership = TeamMember(team=team, user=user, affiliation=affiliation)
    membership.full_clean()
    membership.save()
    creation_log(actor=actor, obj=membership, reason=reason, unit=team.unit)
    changed(user_token(user.pk))  # the menu shows the team's pages
    return membership


def _require_team_access(actor: User, team: Team) -> None:
    """Team members work the team's list; officials who may change the unit's members may too."""
    if actor is None or is_team_member(user=actor, team=team):
        return
    require_unit_permission(actor, Permission.MEMBER_CHANGE, team.unit)


@transaction.atomic
def help_session_log(
    *,
    actor: User,
    team: Team,
    members: list[Member],
    place: str,
    topic: str,
    outcome: str,
    is_hand_holding: bool = False,
    has_consent: bool = False,
    note: str = "",
    happened_at: datetime.datetime | None = None,
) -> HelpSession:
    """A supporter helped these members. Each member helped counts once in their cell's help-session figure.

    `happened_at` (by default now) records a session told afterwards; it counts on that day."""
    _require_team_access(actor, team)
    if not members:
        raise ValidationError({"members": _("Choose at least one member.")})
    in_area = set(team_area_members(team).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    if len(in_area) != len({m.pk for m in members}):
        raise ValidationError({"members": _("Choose members from the team's area.")})
    session = HelpSession(
        team=team,
        supporter=actor,
        place=place,
        topic=topic,
        outcome=outcome,
        is_hand_holding=is_hand_holding,
        has_consent=has_consent,
        note=note.strip(),
        happened_at=happened_at or timezone.now(),
    )
    session.full_clean(exclude=["supporter"] if actor is None else None)
    session.save()
    locked = list(Member.objects.select_for_update().select_related("unit").filter(pk__in=in_area).order_by("pk"))
    HelpSessionMember.objects.bulk_create(
        [HelpSessionMember(session=session, member=member, unit=member.unit) for member in locked]
    )
    counters.help_given([member.unit for member in locked], day=timezone.localdate(session.happened_at))
    return session


@transaction.atomic
def worklist_assign(*, actor: User, team: Team, member: Member, assignee) -> WorklistAssignment:
    """Give a member on the team's list to one of the team's members to follow up."""
    _require_team_access(actor, team)
    if not team_area_members(team).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("Choose members from the team's area.")})
    if not TeamMember.objects.filter(team=team, user=assignee).exists():
        raise PermissionDenied(_("Assign to a member of the team."))
    assignment, _created = WorklistAssignment.objects.update_or_create(
        team=team, member=member, defaults={"assignee": assignee, "assigned_at": timezone.now()}
    )
    return assignment


@transaction.atomic
def worklist_phone_reveal(*, actor: User, team: Team, member: Member) -> str:
    """The full phone number of a member on the team's worklist, for a member of the team about to call them
    (or an official who reads the member's record anyway). The worklist shows phones masked; each reveal is in
    the member's unit's access log (who, whom, when)."""
    reads_records = has_unit_permission(actor, Permission.MEMBER_VIEW, member.unit)
    if not (is_team_member(user=actor, team=team) or reads_records):
        raise PermissionDenied(_("Only the team's members call the members on its worklist."))
    if not worklist_members(team).filter(pk=member.pk).exists():
        raise PermissionDenied(_("This member is not on the team's worklist."))
    if not member.phone:
        raise ValidationError(_("This member has no phone number on record."))
    record_access_log(actor=actor, member=member, kind=RecordAccessKind.PHONE)
    return member.phone
