"""Admission and probation over the API: the same selectors and services as the pages."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, TextIn
from common.dates import today as local_today
from members.choices import Sex

from . import selectors, services
from .choices import ProbationOutcome

router = Router(tags=["admission"])


class ProbationCaseOut(Schema):
    id: int
    member_id: int
    full_name: str
    unit_code: str
    committee_code: str
    stage: str
    joined_on: datetime.date
    due_on: datetime.date
    is_late: bool
    application_on: datetime.date | None
    cell_votes_for: int | None
    cell_voters: int | None
    cell_voted_on: datetime.date | None
    outcome: str
    decided_on: datetime.date | None
    decision_number: str
    extended_to: datetime.date | None


class ProbationFileIn(Schema):
    application: TextIn
    application_on: datetime.date
    introducers_opinion: TextIn = ""
    introducers_opinion_on: datetime.date | None = None
    mass_org_opinion: TextIn = ""
    mass_org_opinion_on: datetime.date | None = None


class CellVoteIn(Schema):
    vote_id: Int64 | None = None
    votes_for: int | None = Field(None, ge=0, le=32767)
    voters: int | None = Field(None, ge=0, le=32767)
    voted_on: datetime.date | None = None


class ProbationDecisionIn(Schema):
    outcome: ProbationOutcome
    decided_on: datetime.date
    decision_number: str = Field("", max_length=50)
    reason: TextIn = ""
    extended_to: datetime.date | None = None


def _out(case, *, is_late: bool | None = None) -> dict:
    return {
        "id": case.pk,
        "member_id": case.member_id,
        "full_name": case.member.full_name,
        "unit_code": case.unit.code,
        "committee_code": case.committee.code,
        "stage": case.stage,
        "joined_on": case.member.joined_on,
        "due_on": case.due_on,
        "is_late": selectors.is_late(case, local_today()) if is_late is None else is_late,
        "application_on": case.application_on,
        "cell_votes_for": case.cell_votes_for,
        "cell_voters": case.cell_voters,
        "cell_voted_on": case.cell_voted_on,
        "outcome": case.outcome,
        "decided_on": case.decided_on,
        "decision_number": case.decision_number,
        "extended_to": case.extended_to,
    }


@router.get(
    "/probation",
    response={200: list[ProbationCaseOut], **LIST_ERRORS},
    summary="Probationary members waiting for a decision, the earliest end of probation first",
)
def probation_list(request, late: bool = False):
    services.probation_cases_open(within=selectors.probationary_members_visible_to(request.auth))
    day = local_today()
    if late:
        cases = selectors.late_cases(actor=request.auth, day=day)
    else:
        cases = list(selectors.open_cases(actor=request.auth)[:500])
    flags = selectors.late_flags([case.due_on for case in cases], day)
    return [_out(case, is_late=flag) for case, flag in zip(cases, flags, strict=True)]


@router.get("/probation/{int:case_id}", response={200: ProbationCaseOut, **READ_ERRORS}, summary="One probation")
def probation_detail(request, case_id: Int64):
    return _out(selectors.case_get(actor=request.auth, pk=case_id))


@router.post(
    "/probation/{int:case_id}/file",
    response={200: ProbationCaseOut, **WRITE_ERRORS},
    summary="Record the member's application and the opinions on it",
)
def probation_file(request, case_id: Int64, payload: ProbationFileIn):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    case = services.probation_file_record(actor=request.auth, case=case, **payload.dict())
    return _out(selectors.case_get(actor=request.auth, pk=case.pk))


@router.post(
    "/probation/{int:case_id}/cell-vote",
    response={200: ProbationCaseOut, **WRITE_ERRORS},
    summary="Record the cell's vote proposing the member as official",
)
def probation_cell_vote(request, case_id: Int64, payload: CellVoteIn):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    data = payload.dict()
    vote_id = data.pop("vote_id")
    vote = selectors.cell_votes(case=case).get(pk=vote_id) if vote_id else None
    case = services.probation_cell_vote_record(actor=request.auth, case=case, vote=vote, **data)
    return _out(selectors.case_get(actor=request.auth, pk=case.pk))


@router.post(
    "/probation/{int:case_id}/decide",
    response={200: ProbationCaseOut, **WRITE_ERRORS},
    summary="The committee's decision: official, extended or ended",
)
def probation_decide(request, case_id: Int64, payload: ProbationDecisionIn):
    case = selectors.case_get(actor=request.auth, pk=case_id)
    case = services.probation_decide(actor=request.auth, case=case, **payload.dict())
    return _out(selectors.case_get(actor=request.auth, pk=case.pk))


class CandidateOut(Schema):
    id: int
    full_name: str
    unit_code: str
    stage: str
    certificate_on: datetime.date | None
    background_checked_on: datetime.date | None
    introducer_ids: list[int]
    cell_voted_on: datetime.date | None
    admitted_on: datetime.date | None
    member_id: int | None


def _candidate_out(candidate) -> dict:
    return {
        "id": candidate.pk,
        "full_name": candidate.full_name,
        "unit_code": candidate.unit.code,
        "stage": candidate.stage,
        "certificate_on": candidate.certificate_on,
        "background_checked_on": candidate.background_checked_on,
        "introducer_ids": [pk for pk in (candidate.introducer_1_id, candidate.introducer_2_id) if pk],
        "cell_voted_on": candidate.cell_voted_on,
        "admitted_on": candidate.admitted_on,
        "member_id": candidate.member_id,
    }


@router.get("/candidates", response={200: list[CandidateOut], **LIST_ERRORS}, summary="Candidates for admission")
def candidate_list(request, stage: str = ""):
    candidates = selectors.candidates_visible_to(request.auth)
    if stage:
        candidates = candidates.filter(stage=stage)
    return [_candidate_out(candidate) for candidate in candidates[:500]]


@router.get("/candidates/{int:candidate_id}", response={200: CandidateOut, **READ_ERRORS}, summary="One candidate")
def candidate_detail(request, candidate_id: Int64):
    return _candidate_out(selectors.candidate_get(actor=request.auth, pk=candidate_id))


class CandidateIn(Schema):
    unit_code: str = Field(..., max_length=50)
    full_name: str = Field(..., max_length=255)
    date_of_birth: datetime.date
    sex: Sex
    citizen_id: str = Field(..., max_length=12)


class CandidateTrainingIn(Schema):
    training_course: str = Field(..., max_length=255)
    certificate_on: datetime.date


class CandidateVerificationIn(Schema):
    background_check: TextIn
    background_checked_on: datetime.date


class CandidateIntroducersIn(Schema):
    introducer_1_id: Int64
    introducer_2_id: Int64
    mass_org_recommendation: TextIn = ""
    mass_org_recommendation_on: datetime.date | None = None


class CandidateAdmitIn(Schema):
    admitted_on: datetime.date
    decision_number: str = Field("", max_length=50)


class CandidateDropIn(Schema):
    reason: str = Field(..., max_length=500)


def _candidate_step(request, candidate_id: int, step, **data) -> dict:
    """Run one step's service on a candidate the caller sees, and answer the candidate as it now stands."""
    candidate = selectors.candidate_get(actor=request.auth, pk=candidate_id)
    step(actor=request.auth, candidate=candidate, **data)
    return _candidate_out(selectors.candidate_get(actor=request.auth, pk=candidate_id))


@router.post("/candidates", response={201: CandidateOut, **WRITE_ERRORS}, summary="The cell proposes a candidate")
def candidate_propose(request, payload: CandidateIn):
    data = payload.dict()
    unit = get_object_or_404(selectors.proposing_cells(actor=request.auth), code=data.pop("unit_code"))
    candidate = services.candidate_propose(actor=request.auth, unit=unit, **data)
    return Status(201, _candidate_out(selectors.candidate_get(actor=request.auth, pk=candidate.pk)))


@router.post(
    "/candidates/{int:candidate_id}/training",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="Record the candidate's course on the party",
)
def candidate_training(request, candidate_id: Int64, payload: CandidateTrainingIn):
    return _candidate_step(request, candidate_id, services.candidate_training_record, **payload.dict())


@router.post(
    "/candidates/{int:candidate_id}/verification",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="Record the verification of the candidate's background",
)
def candidate_verification(request, candidate_id: Int64, payload: CandidateVerificationIn):
    return _candidate_step(request, candidate_id, services.candidate_verification_record, **payload.dict())


@router.post(
    "/candidates/{int:candidate_id}/introducers",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="Record the two introducers and the mass organisation's recommendation",
)
def candidate_introducers(request, candidate_id: Int64, payload: CandidateIntroducersIn):
    candidate = selectors.candidate_get(actor=request.auth, pk=candidate_id)
    data = payload.dict()
    introducers = selectors.possible_introducers(candidate=candidate)
    data["introducer_1"] = introducers.get(pk=data.pop("introducer_1_id"))
    data["introducer_2"] = introducers.get(pk=data.pop("introducer_2_id"))
    return _candidate_step(request, candidate_id, services.candidate_introducers_record, **data)


@router.post(
    "/candidates/{int:candidate_id}/cell-vote",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="Record the cell's vote proposing to admit the candidate",
)
def candidate_cell_vote(request, candidate_id: Int64, payload: CellVoteIn):
    candidate = selectors.candidate_get(actor=request.auth, pk=candidate_id)
    data = payload.dict()
    vote_id = data.pop("vote_id")
    vote = selectors.candidate_votes(candidate=candidate).get(pk=vote_id) if vote_id else None
    return _candidate_step(request, candidate_id, services.candidate_cell_vote_record, vote=vote, **data)


@router.post(
    "/candidates/{int:candidate_id}/admit",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="The committee admits the candidate: the probationary member's record is created",
)
def candidate_admit(request, candidate_id: Int64, payload: CandidateAdmitIn):
    return _candidate_step(request, candidate_id, services.candidate_admit, **payload.dict())


@router.post(
    "/candidates/{int:candidate_id}/drop",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="Stop following the candidate, saying why",
)
def candidate_drop(request, candidate_id: Int64, payload: CandidateDropIn):
    return _candidate_step(request, candidate_id, services.candidate_drop, **payload.dict())
