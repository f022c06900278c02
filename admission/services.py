"""Writes of admission and probation. Each checks the actor's role through accounts.scoping and writes the change
log; the member's record changes only through the member services.

Probation to official membership: a case is opened for every probationary member (`probation_cases_open`, run daily
and when the lists are viewed) → the cell's secretary records the member's application, the introducers' and the
mass organisation's opinions (`probation_file_record`) → the cell's vote, more than half for
(`probation_cell_vote_record`) → the commune-level committee decides (`probation_decide`): the member becomes
official at once (every figure counts them from then), or the probation is extended once, or it ends and the member
is removed from the party.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import has_unit_permission, require_unit_permission
from accounts.selectors import nearest_role_holders
from audit.services import creation_log, model_create, model_update
from common.dates import today as local_today
from common.locks import locked
from meetings.models import Vote
from members.choices import CURRENT_STATUSES, LeavingForm, MemberStatus, Standing
from members.models import Member
from members.services import member_create, member_update
from notifications.services import Message, notify
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit
from orgunits.selectors import commune_committee_of

from . import rules
from .choices import (
    CANDIDATE_STEPS,
    FILING_STAGES,
    OPEN_CANDIDATE_STAGES,
    OPEN_STAGES,
    CandidateStage,
    ProbationOutcome,
    ProbationStage,
)
from .models import Candidate, ProbationCase
from .selectors import late_flags, waiting_q


@transaction.atomic
def probation_cases_open(*, within: QuerySet[Member] | None = None) -> int:
    """A case for every current probationary member lacking one (`within` narrows the members looked at); an open
    case follows its member to a new cell. The system's work, whoever's page caused it: no permission is checked and
    the change log names no actor. Returns how many cases were opened."""
    members = within if within is not None else Member.objects.all()
    members = members.filter(standing=Standing.PROBATIONARY, status__in=CURRENT_STATUSES)
    opened = 0
    for member in members.filter(probation_case__isnull=True).select_related("unit").order_by("pk"):
        case = ProbationCase(
            member=member,
            unit=member.unit,
            committee=commune_committee_of(member.unit),
            due_on=rules.due_on(member.joined_on),
        )
        case.full_clean(validate_unique=False)
        try:
            with transaction.atomic():  # two pages opening the same case at once: the second one skips it
                case.save()
        except IntegrityError:
            continue
        creation_log(actor=None, obj=case, unit=member.unit)
        opened += 1
    moved = ProbationCase.objects.filter(stage__in=OPEN_STAGES, member__in=members).exclude(
        unit_id=F("member__unit_id")
    )
    for case in moved.select_related("member__unit"):
        cell = case.member.unit
        model_update(case, data={"unit": cell, "committee": commune_committee_of(cell)}, actor=None, unit=cell)
    return opened


def _locked(case: ProbationCase) -> ProbationCase:
    """The case locked, refused once its member is no longer probationary on a cell's roll (died, left, transferred
    out of Sổ tay, or made official by other means): such a case waits for nothing."""
    row = locked(ProbationCase, [case.pk])[case.pk]
    case = ProbationCase.objects.select_related("member", "unit", "committee").get(pk=row.pk)
    member = case.member
    if case.stage in OPEN_STAGES and (
        member.standing != Standing.PROBATIONARY or member.status not in CURRENT_STATUSES
    ):
        raise ValidationError(
            _("%(name)s is no longer a probationary member on a cell's roll (%(status)s): nothing more is recorded.")
            % {
                "name": member.full_name,
                "status": member.get_status_display()
                if member.status not in CURRENT_STATUSES
                else member.get_standing_display(),
            }
        )
    return case


def _not_future(day: datetime.date | None, field: str, today: datetime.date) -> None:
    if day is not None and day > today:
        raise ValidationError({field: _("This date cannot be in the future.")})


@transaction.atomic
def probation_file_record(
    *,
    actor: User,
    case: ProbationCase,
    application: str,
    application_on: datetime.date,
    introducers_opinion: str = "",
    introducers_opinion_on: datetime.date | None = None,
    mass_org_opinion: str = "",
    mass_org_opinion_on: datetime.date | None = None,
) -> ProbationCase:
    """The file as the cell's secretary records it from the papers: the member's application to become official,
    the introducers' opinions and the mass organisation's opinion, each with its date. Changed until the cell votes."""
    today = local_today()
    case = _locked(case)
    require_unit_permission(actor, Permission.MEETING_MANAGE, case.unit)
    if case.stage not in FILING_STAGES:
        raise ValidationError(_("The cell has voted on this file: it can no longer change."))
    if not application.strip() or application_on is None:
        raise ValidationError({"application": _("Record the member's application and its date.")})
    for text, day, field in (
        (introducers_opinion, introducers_opinion_on, "introducers_opinion_on"),
        (mass_org_opinion, mass_org_opinion_on, "mass_org_opinion_on"),
    ):
        if text.strip() and day is None:
            raise ValidationError({field: _("Give the date of this opinion.")})
    for day, field in (
        (application_on, "application_on"),
        (introducers_opinion_on, "introducers_opinion_on"),
        (mass_org_opinion_on, "mass_org_opinion_on"),
    ):
        _not_future(day, field, today)
        if day is not None and day < case.member.joined_on:
            raise ValidationError({field: _("This date is before the member's admission.")})
    return model_update(
        case,
        data={
            "application": application.strip(),
            "application_on": application_on,
            "introducers_opinion": introducers_opinion.strip(),
            "introducers_opinion_on": introducers_opinion_on if introducers_opinion.strip() else None,
            "mass_org_opinion": mass_org_opinion.strip(),
            "mass_org_opinion_on": mass_org_opinion_on if mass_org_opinion.strip() else None,
            "file_recorded_by": actor,
        },
        actor=actor,
        unit=case.unit,
    )


def _vote_counts(*, unit_id, vote, votes_for, voters, voted_on):
    if vote is not None:
        if vote.meeting.unit_id != unit_id or vote.is_open:
            raise ValidationError({"vote": _("Choose a closed vote of this cell's meeting.")})
        if not vote.is_passed:
            raise ValidationError({"vote": _("That vote did not pass.")})
        votes_for = vote.count_for or 0
        voters = votes_for + (vote.count_against or 0) + (vote.count_abstain or 0)
        voted_on = timezone.localdate(vote.closed_at) if vote.closed_at else voted_on
    elif votes_for is None or not voters:
        raise ValidationError(
            _("Give the cell's vote: choose the meeting's vote, or type the votes for and the voters.")
        )
    elif votes_for > voters:
        raise ValidationError({"votes_for": _("More votes for than members voting.")})
    elif not rules.has_majority(votes_for, voters):
        raise ValidationError({"votes_for": _("Not more than half voted for it.")})
    if voted_on is None:
        raise ValidationError({"voted_on": _("Give the date of the cell's vote.")})
    _not_future(voted_on, "voted_on", local_today())
    return votes_for, voters, voted_on


@transaction.atomic
def probation_cell_vote_record(
    *,
    actor: User,
    case: ProbationCase,
    voted_on: datetime.date | None = None,
    vote: Vote | None = None,
    votes_for: int | None = None,
    voters: int | None = None,
) -> ProbationCase:
    """The cell's vote to propose the member as official: a closed, passed vote of the cell's meeting in Sổ tay, or
    the counts of a vote held on paper (more than half of those voting for it)."""
    case = _locked(case)
    require_unit_permission(actor, Permission.MEETING_MANAGE, case.unit)
    if case.stage not in FILING_STAGES:
        raise ValidationError(_("The cell's vote is already recorded."))
    if not case.has_file:
        raise ValidationError(_("Record the member's application before the cell's vote."))
    votes_for, voters, voted_on = _vote_counts(
        unit_id=case.unit_id, vote=vote, votes_for=votes_for, voters=voters, voted_on=voted_on
    )
    case = model_update(
        case,
        data={
            "cell_vote": vote,
            "cell_votes_for": votes_for,
            "cell_voters": voters,
            "cell_voted_on": voted_on,
            "cell_recorded_by": actor,
            "stage": ProbationStage.CELL_VOTED,
        },
        actor=actor,
        unit=case.unit,
    )
    with translation.override("vi"):
        notify(
            recipients=nearest_role_holders(case.committee, Permission.ADMISSION_DECIDE),
            message=Message(
                kind="admission.cell_voted",
                title=_("Probation to official: %(name)s") % {"name": case.member.full_name},
                body=_("%(cell)s proposes the member as official: the committee decides.") % {"cell": case.unit.name},
                url=f"/admission/probation/{case.pk}/",
            ),
        )
    return case


@transaction.atomic
def probation_decide(
    *,
    actor: User,
    case: ProbationCase,
    outcome: str,
    decided_on: datetime.date,
    reason: str = "",
    decision_number: str = "",
    extended_to: datetime.date | None = None,
) -> ProbationCase:
    """The commune-level committee's decision.

    - official: the member's record becomes official now (official_on = the decision's date), through
      members.services.member_update, so every figure counts them at once; it needs the cell's vote;
    - extend: once, to a date at most 12 months after the end of probation; the file and the vote start again;
    - end: the member is removed from the party (struck off, the reason kept as the reason for leaving)."""
    today = local_today()
    outcome = str(outcome)
    case = _locked(case)
    require_unit_permission(actor, Permission.ADMISSION_DECIDE, case.committee)
    if case.stage not in OPEN_STAGES:
        raise ValidationError(_("This probation is already decided."))
    _not_future(decided_on, "decided_on", today)
    member = case.member
    if decided_on <= member.joined_on:
        raise ValidationError({"decided_on": _("The decision must come after the member's admission.")})
    reason = reason.strip()
    decision = {
        "outcome": outcome,
        "decided_on": decided_on,
        "decision_number": decision_number.strip(),
        "decision_reason": reason,
        "decided_by": actor,
    }
    if outcome == ProbationOutcome.OFFICIAL:
        if case.stage != ProbationStage.CELL_VOTED:
            raise ValidationError(_("The cell has not voted on this member yet."))
        member_update(
            actor=actor,
            member=member,
            data={"standing": Standing.OFFICIAL, "official_on": decided_on},
            reason=_("Made official by the committee's decision %(number)s") % {"number": decision["decision_number"]},
            authorized_by_policy=True,
        )
        case = model_update(case, data={**decision, "stage": ProbationStage.OFFICIAL}, actor=actor, unit=case.unit)
        title = _("You are an official party member")
    elif outcome == ProbationOutcome.EXTEND:
        if case.extended_to is not None:
            raise ValidationError(
                {"outcome": _("The probation was extended once already: it cannot be extended again.")}
            )
        if not reason:
            raise ValidationError({"reason": _("Say why the probation is extended.")})
        if extended_to is None or extended_to <= case.due_on:
            raise ValidationError({"extended_to": _("Give the new end of probation, after the current one.")})
        if extended_to > rules.latest_extension(case.due_on):
            raise ValidationError({"extended_to": _("The probation can be extended by 12 months at most.")})
        data = {
            **decision,
            "stage": ProbationStage.EXTENDED,
            "first_due_on": case.due_on,
            "due_on": extended_to,
            "extended_to": extended_to,
            # The cell votes again at the end of the extension.
            "cell_vote": None,
            "cell_votes_for": None,
            "cell_voters": None,
            "cell_voted_on": None,
        }
        case = model_update(case, data=data, actor=actor, unit=case.unit)
        title = _("Your probation is extended to %(day)s") % {"day": extended_to.strftime("%d/%m/%Y")}
    elif outcome == ProbationOutcome.END:
        if not reason:
            raise ValidationError({"reason": _("Say why the probation ends.")})
        member_update(
            actor=actor,
            member=member,
            data={
                "status": MemberStatus.LEFT,
                "status_since": decided_on,
                "left_on": decided_on,
                "leaving_form": LeavingForm.STRUCK_OFF,
                "leaving_reason": reason[:255],
            },
            reason=_("Probation ended by the committee's decision %(number)s")
            % {"number": decision["decision_number"]},
            authorized_by_policy=True,
        )
        case = model_update(case, data={**decision, "stage": ProbationStage.ENDED}, actor=actor, unit=case.unit)
        title = _("Your probation has ended")
    else:
        raise ValidationError({"outcome": _("Choose the decision.")})
    with translation.override("vi"):
        notify(
            recipients=User.objects.filter(member_id=member.pk, is_active=True),
            message=Message(kind=f"admission.{outcome}", title=str(title), url=f"/admission/probation/{case.pk}/"),
        )
    return case


def probation_send_reminders(*, day: datetime.date | None = None) -> tuple[int, int]:
    """The daily work (idempotent: each reminder is sent once per case and due date). Opens the missing cases, then
    returns (cases reminded as due, cases reminded as late).

    - From the 11th month of probation until the due date: the member and the cell's secretaries, once.
    - Once late (the due date, moved past a day off, has passed): the secretaries and the deciding committee, once."""
    day = day or local_today()
    probation_cases_open()
    due = late = 0
    cases = list(
        ProbationCase.objects.filter(waiting_q(), due_on__lte=rules.add_months(day, 2))
        .select_related("member", "unit", "committee")
        .order_by("due_on", "pk")
    )
    flags = late_flags([case.due_on for case in cases], day)
    with translation.override("vi"):
        for case, is_late in zip(cases, flags, strict=True):
            if is_late:
                message = Message(
                    kind="admission.probation_late",
                    title=_("Probation decision late: %(name)s") % {"name": case.member.full_name},
                    body=_("The probation ended on %(day)s and is not decided.")
                    % {"day": case.due_on.strftime("%d/%m/%Y")},
                    url=f"/admission/probation/{case.pk}/",
                    dedupe_key=f"admission.probation_late:{case.pk}:{case.due_on.isoformat()}",
                )
                notify(recipients=nearest_role_holders(case.unit, Permission.MEETING_MANAGE), message=message)
                notify(recipients=nearest_role_holders(case.committee, Permission.ADMISSION_DECIDE), message=message)
                late += 1
                continue
            if day < rules.remind_from_due(case.due_on):
                continue
            message = Message(
                kind="admission.probation_due",
                title=_("Probation ends on %(day)s: %(name)s")
                % {"day": case.due_on.strftime("%d/%m/%Y"), "name": case.member.full_name},
                body=_("Prepare the application to become an official member; the cell votes, the committee decides."),
                url=f"/admission/probation/{case.pk}/",
                dedupe_key=f"admission.probation_due:{case.pk}:{case.due_on.isoformat()}",
            )
            notify(recipients=User.objects.filter(member_id=case.member_id, is_active=True), message=message)
            notify(recipients=nearest_role_holders(case.unit, Permission.MEETING_MANAGE), message=message)
            due += 1
    return due, late


# == Candidates for admission ==


def _locked_candidate(candidate: Candidate) -> Candidate:
    row = locked(Candidate, [candidate.pk])[candidate.pk]
    return Candidate.objects.select_related("unit", "committee").get(pk=row.pk)


def _require_stage(candidate: Candidate, stage: str) -> None:
    """Steps are recorded in order; a step may be recorded again until the next one is."""
    position = CANDIDATE_STEPS.index
    if candidate.stage not in OPEN_CANDIDATE_STAGES:
        raise ValidationError(_("This candidate's file is closed."))
    if position(candidate.stage) < position(stage) - 1:
        raise ValidationError(_("Record the steps before this one first."))
    if position(candidate.stage) > position(stage):
        raise ValidationError(_("A later step is already recorded: this one can no longer change."))


@transaction.atomic
def candidate_propose(
    *,
    actor: User,
    unit: Unit,
    full_name: str,
    date_of_birth: datetime.date,
    sex: str,
    citizen_id: str,
) -> Candidate:
    """The cell proposes a candidate (quần chúng ưu tú) to follow towards admission."""
    require_unit_permission(actor, Permission.MEETING_MANAGE, unit)
    if unit.kind not in CELL_KINDS or unit.closed_on is not None:
        raise ValidationError({"unit": _("Candidates are followed by an open party cell.")})
    citizen_id = citizen_id.strip()
    if not (citizen_id.isdigit() and len(citizen_id) == 12):
        raise ValidationError({"citizen_id": _("A citizen ID has 12 digits.")})
    if Member.objects.filter(citizen_id=citizen_id).exists():
        raise ValidationError({"citizen_id": _("A party member has this citizen ID already.")})
    if Candidate.objects.filter(citizen_id=citizen_id, stage__in=OPEN_CANDIDATE_STAGES).exists():
        raise ValidationError({"citizen_id": _("This person is already a candidate.")})
    _not_future(date_of_birth, "date_of_birth", local_today())
    candidate = Candidate(
        unit=unit,
        committee=commune_committee_of(unit),
        full_name=" ".join(full_name.split()),
        date_of_birth=date_of_birth,
        sex=sex,
        citizen_id=citizen_id,
        proposed_by=actor,
    )
    return model_create(candidate, actor=actor, unit=unit)


@transaction.atomic
def candidate_training_record(
    *, actor: User, candidate: Candidate, training_course: str, certificate_on: datetime.date
) -> Candidate:
    candidate = _locked_candidate(candidate)
    require_unit_permission(actor, Permission.MEETING_MANAGE, candidate.unit)
    _require_stage(candidate, CandidateStage.TRAINED)
    if not training_course.strip():
        raise ValidationError({"training_course": _("Name the course.")})
    _not_future(certificate_on, "certificate_on", local_today())
    data = {"training_course": training_course.strip(), "certificate_on": certificate_on}
    return model_update(candidate, data={**data, "stage": CandidateStage.TRAINED}, actor=actor, unit=candidate.unit)


@transaction.atomic
def candidate_verification_record(
    *, actor: User, candidate: Candidate, background_check: str, background_checked_on: datetime.date
) -> Candidate:
    candidate = _locked_candidate(candidate)
    require_unit_permission(actor, Permission.MEETING_MANAGE, candidate.unit)
    _require_stage(candidate, CandidateStage.VERIFIED)
    if not background_check.strip():
        raise ValidationError({"background_check": _("Record what the verification found.")})
    _not_future(background_checked_on, "background_checked_on", local_today())
    data = {"background_check": background_check.strip(), "background_checked_on": background_checked_on}
    return model_update(candidate, data={**data, "stage": CandidateStage.VERIFIED}, actor=actor, unit=candidate.unit)


@transaction.atomic
def candidate_introducers_record(
    *,
    actor: User,
    candidate: Candidate,
    introducer_1: Member,
    introducer_2: Member,
    mass_org_recommendation: str = "",
    mass_org_recommendation_on: datetime.date | None = None,
) -> Candidate:
    """Two official members of the cell introduce the candidate; the mass organisation's recommendation beside."""
    candidate = _locked_candidate(candidate)
    require_unit_permission(actor, Permission.MEETING_MANAGE, candidate.unit)
    _require_stage(candidate, CandidateStage.INTRODUCED)
    if introducer_1.pk == introducer_2.pk:
        raise ValidationError({"introducer_2": _("Two different members introduce a candidate.")})
    for field, introducer in (("introducer_1", introducer_1), ("introducer_2", introducer_2)):
        if (
            introducer.unit_id != candidate.unit_id
            or introducer.standing != Standing.OFFICIAL
            or introducer.status not in CURRENT_STATUSES
        ):
            raise ValidationError({field: _("An introducer is an official member of the candidate's cell.")})
    if mass_org_recommendation.strip() and mass_org_recommendation_on is None:
        raise ValidationError({"mass_org_recommendation_on": _("Give the date of this opinion.")})
    _not_future(mass_org_recommendation_on, "mass_org_recommendation_on", local_today())
    data = {
        "introducer_1": introducer_1,
        "introducer_2": introducer_2,
        "mass_org_recommendation": mass_org_recommendation.strip(),
        "mass_org_recommendation_on": mass_org_recommendation_on if mass_org_recommendation.strip() else None,
        "stage": CandidateStage.INTRODUCED,
    }
    return model_update(candidate, data=data, actor=actor, unit=candidate.unit)


@transaction.atomic
def candidate_cell_vote_record(
    *,
    actor: User,
    candidate: Candidate,
    voted_on: datetime.date | None = None,
    vote: Vote | None = None,
    votes_for: int | None = None,
    voters: int | None = None,
) -> Candidate:
    candidate = _locked_candidate(candidate)
    require_unit_permission(actor, Permission.MEETING_MANAGE, candidate.unit)
    _require_stage(candidate, CandidateStage.CELL_VOTED)
    votes_for, voters, voted_on = _vote_counts(
        unit_id=candidate.unit_id, vote=vote, votes_for=votes_for, voters=voters, voted_on=voted_on
    )
    data = {
        "cell_vote": vote,
        "cell_votes_for": votes_for,
        "cell_voters": voters,
        "cell_voted_on": voted_on,
        "stage": CandidateStage.CELL_VOTED,
    }
    candidate = model_update(candidate, data=data, actor=actor, unit=candidate.unit)
    with translation.override("vi"):
        notify(
            recipients=nearest_role_holders(candidate.committee, Permission.ADMISSION_DECIDE),
            message=Message(
                kind="admission.candidate_voted",
                title=_("Admission: %(name)s") % {"name": candidate.full_name},
                body=_("%(cell)s proposes to admit the candidate: the committee decides.")
                % {"cell": candidate.unit.name},
                url=f"/admission/candidates/{candidate.pk}/",
            ),
        )
    return candidate


@transaction.atomic
def candidate_admit(
    *, actor: User, candidate: Candidate, admitted_on: datetime.date, decision_number: str = ""
) -> Candidate:
    """The committee's decision to admit: the member's record is created (probationary, joined on the admission
    date) through the member services, and their probation case opened. The candidate's file is kept."""
    candidate = _locked_candidate(candidate)
    require_unit_permission(actor, Permission.ADMISSION_DECIDE, candidate.committee)
    if candidate.stage != CandidateStage.CELL_VOTED:
        raise ValidationError(_("The cell has not voted to admit this candidate yet."))
    _not_future(admitted_on, "admitted_on", local_today())
    if candidate.cell_voted_on and admitted_on < candidate.cell_voted_on:
        raise ValidationError({"admitted_on": _("The admission comes after the cell's vote.")})
    member = member_create(
        actor=actor,
        data={
            "unit": candidate.unit,
            "full_name": candidate.full_name,
            "sex": candidate.sex,
            "date_of_birth": candidate.date_of_birth,
            "citizen_id": candidate.citizen_id,
            "joined_on": admitted_on,
            "standing": Standing.PROBATIONARY,
        },
        reason=_("Admitted by the committee's decision %(number)s") % {"number": decision_number.strip()},
    )
    probation_cases_open(within=Member.objects.filter(pk=member.pk))
    data = {
        "stage": CandidateStage.ADMITTED,
        "admitted_on": admitted_on,
        "decision_number": decision_number.strip(),
        "decided_by": actor,
        "member": member,
    }
    return model_update(candidate, data=data, actor=actor, unit=candidate.unit)


@transaction.atomic
def candidate_drop(*, actor: User, candidate: Candidate, reason: str) -> Candidate:
    """The cell (or the committee) stops following the candidate, saying why; the file is kept."""
    candidate = _locked_candidate(candidate)
    if not has_unit_permission(actor, Permission.ADMISSION_DECIDE, candidate.committee):
        require_unit_permission(actor, Permission.MEETING_MANAGE, candidate.unit)
    if candidate.stage not in OPEN_CANDIDATE_STAGES:
        raise ValidationError(_("This candidate's file is closed."))
    if not reason.strip():
        raise ValidationError({"dropped_reason": _("Say why the candidate is dropped.")})
    data = {"stage": CandidateStage.DROPPED, "dropped_reason": reason.strip()}
    return model_update(candidate, data=data, actor=actor, unit=candidate.unit)
