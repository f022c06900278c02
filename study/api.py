"""Study over the API: the same selectors and services as the pages."""

import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, fields_named, page_of
from library.models import Document

from . import selectors, services
from .choices import MAX_CHOICES, MaterialKind, StudyState

router = Router(tags=["study"])


class StudyStepOut(Schema):
    key: str
    title: str
    document_id: int | None
    done: bool


class QuizChoiceOut(Schema):
    id: int
    letter: str
    text: str


class QuizQuestionOut(Schema):
    id: int
    number: int
    text: str
    multiple: bool
    choices: list[QuizChoiceOut]


class StudyAssignmentOut(Schema):
    id: int
    unit_code: str
    kind: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    pass_mark: int
    max_attempts: int
    withdrawn: bool
    # The caller's own place in it (members of its cells; "not_started" for everyone else).
    state: str


class StudyAssignmentDetailOut(StudyAssignmentOut):
    text: str
    steps: list[StudyStepOut]
    questions: list[QuizQuestionOut]
    attempts_used: int
    best_score: int | None


class StudyAssignmentIn(Schema):
    unit_code: str = Field(..., max_length=64)
    kind: MaterialKind
    title: TextIn
    text: TextIn = ""
    document_ids: list[Int64] = Field(default_factory=list, max_length=50)
    starts_on: datetime.date
    ends_on: datetime.date
    pass_mark: int = Field(80, ge=1, le=100)
    max_attempts: int = Field(3, ge=1, le=10)
    notify_members: bool = Field(True, description="Tell each member of the subtree in their inbox and on their phone.")


class StudyStepIn(Schema):
    assignment_id: Int64
    step: str = Field(..., max_length=32)


class QuizAttemptIn(Schema):
    assignment_id: Int64
    # {question id: [choice ids]}
    answers: dict[str, list[Int64]] = Field(..., max_length=200)
    attempt_number: int | None = Field(
        None, ge=1, le=100, description="The attempt these answers are for: sent twice, they are scored once (422)."
    )


class QuizReviewOut(Schema):
    question_id: int
    right: bool
    explanation: str = Field(
        description="Given, like the right answers, once the member has passed or has no attempt left."
    )
    right_choice_ids: list[int] = Field(description="Given once the member has passed or has no attempt left.")


class QuizAttemptOut(Schema):
    number: int
    correct: int
    total: int
    score: int
    passed: bool
    attempts_left: int
    review: list[QuizReviewOut]


class QuizQuestionIn(Schema):
    text: TextIn
    multiple: bool = False
    answers: list[str] = Field(..., min_length=2, max_length=MAX_CHOICES)
    right: list[Annotated[int, Field(ge=1, le=MAX_CHOICES)]] = Field(
        ..., min_length=1, max_length=MAX_CHOICES, description="Numbers of the right answers, from 1."
    )
    explanation: TextIn = ""


class StudyFiguresRowOut(Schema):
    unit_code: str
    unit_name: str
    members: int
    started: int
    studied: int
    passed: int


class StudyFiguresOut(Schema):
    assignment_id: int
    total: StudyFiguresRowOut
    children: list[StudyFiguresRowOut]


class StudyMemberOut(Schema):
    member_id: int
    full_name: str
    unit_code: str
    state: str
    best_score: int | None


class StudyMemberPage(Schema):
    total: int
    items: list[StudyMemberOut]


class StudyMarksIn(Schema):
    member_ids: list[Int64] = Field(..., min_length=1, max_length=500)
    meeting_id: Int64 | None = None


class StudyMarksOut(Schema):
    marked: int


def _out(assignment, progress=None) -> dict:
    return {
        "id": assignment.pk,
        "unit_code": assignment.unit.code,
        "kind": assignment.kind,
        "title": assignment.title,
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
        "pass_mark": assignment.pass_mark,
        "max_attempts": assignment.max_attempts,
        "withdrawn": assignment.withdrawn_at is not None,
        "state": selectors.state_of(progress),
    }


def _question_out(question) -> dict:
    """A question as the member sees it: never which answers are right."""
    return {
        "id": question.pk,
        "number": question.position,
        "text": question.text,
        "multiple": question.is_multiple,
        "choices": [{"id": c.pk, "letter": c.letter, "text": c.text} for c in question.choices.all()],
    }


def _detail(request, assignment) -> dict:
    progress = selectors.own_progress(user=request.auth, assignment=assignment)
    questions = selectors.questions_of(assignment=assignment)
    return {
        **_out(assignment, progress),
        "text": assignment.text,
        "steps": [
            {
                "key": step.key,
                "title": step.title,
                "document_id": step.document.pk if step.document else None,
                "done": step.is_done,
            }
            for step in selectors.study_steps(assignment=assignment, progress=progress)
        ],
        "questions": [_question_out(question) for question in questions],
        "attempts_used": progress.attempts_used if progress else 0,
        "best_score": progress.best_score if progress else None,
    }


@router.get(
    "", response={200: list[StudyAssignmentOut], **LIST_ERRORS}, summary="Study assignments the caller may read"
)
def assignments(request):
    rows = list(selectors.assignment_list(actor=request.auth)[:200])
    progress = selectors.own_progress_by_assignment(user=request.auth, assignments=rows)
    return [_out(assignment, progress.get(assignment.pk)) for assignment in rows]


@router.post(
    "", response={201: StudyAssignmentDetailOut, **WRITE_ERRORS}, summary="Assign study to a committee's subtree"
)
def assign(request, payload: StudyAssignmentIn):
    data = payload.dict()
    unit = get_object_or_404(selectors.issuing_units(actor=request.auth), code=data.pop("unit_code"))
    ids, notify = data.pop("document_ids"), data.pop("notify_members")
    documents = list(selectors.attachable_documents(actor=request.auth).filter(pk__in=ids))
    if len(documents) != len(set(ids)):
        raise Document.DoesNotExist
    with fields_named({"unit": "unit_code", "documents": "document_ids"}):
        assignment = services.assignment_create(
            actor=request.auth, unit=unit, data=data, documents=documents, notify_members=notify
        )
    return Status(201, _detail(request, selectors.assignment_get(actor=request.auth, pk=assignment.pk)))


@router.get("/{int:assignment_id}", response={200: StudyAssignmentDetailOut, **READ_ERRORS}, summary="One assignment")
def assignment(request, assignment_id: Int64):
    return _detail(request, selectors.assignment_get(actor=request.auth, pk=assignment_id))


@router.post("/steps", response={200: StudyAssignmentDetailOut, **WRITE_ERRORS}, summary="Mark a part as read (own)")
def step_done(request, payload: StudyStepIn):
    assignment = selectors.assignment_get(actor=request.auth, pk=payload.assignment_id)
    services.study_step_done(actor=request.auth, assignment=assignment, step=payload.step)
    return _detail(request, assignment)


@router.post("/attempts", response={201: QuizAttemptOut, **WRITE_ERRORS}, summary="Answer the quiz (own)")
def attempt(request, payload: QuizAttemptIn):
    assignment = selectors.assignment_get(actor=request.auth, pk=payload.assignment_id)
    made = services.quiz_submit(
        actor=request.auth, assignment=assignment, answers=payload.answers, attempt_number=payload.attempt_number
    )
    review = selectors.attempt_review(
        questions=selectors.questions_of(assignment=assignment),
        attempt=made,
        show_key=selectors.key_is_shown(assignment=assignment, progress=made.progress),
    )
    return Status(
        201,
        {
            "number": made.number,
            "correct": made.correct,
            "total": made.total,
            "score": made.score,
            "passed": made.passed,
            "attempts_left": assignment.max_attempts - made.progress.attempts_used,
            "review": [
                {
                    "question_id": item.question.pk,
                    "right": item.is_right,
                    "explanation": item.explanation,
                    "right_choice_ids": sorted(item.right),
                }
                for item in review
            ],
        },
    )


@router.post(
    "/{int:assignment_id}/questions",
    response={201: QuizQuestionOut, **WRITE_ERRORS},
    summary="Add a quiz question (the committee)",
)
def question_add(request, assignment_id: Int64, payload: QuizQuestionIn):
    assignment = selectors.assignment_get(actor=request.auth, pk=assignment_id)
    right = set(payload.right)
    question = services.question_add(
        actor=request.auth,
        assignment=assignment,
        text=payload.text,
        choices=[(text, number in right) for number, text in enumerate(payload.answers, start=1)],
        is_multiple=payload.multiple,
        explanation=payload.explanation,
    )
    return Status(201, _question_out(question))


def _figures_row(figures) -> dict:
    return {
        "unit_code": figures.unit.code,
        "unit_name": figures.unit.name,
        "members": figures.members,
        "started": figures.started,
        "studied": figures.studied,
        "passed": figures.passed,
    }


@router.get(
    "/{int:assignment_id}/figures",
    response={200: StudyFiguresOut, **READ_ERRORS},
    summary="Members who studied and passed, for a unit and each unit below it",
)
def figures(request, assignment_id: Int64, unit: str = ""):
    assignment = selectors.assignment_get(actor=request.auth, pk=assignment_id)
    scope = selectors.figures_unit_get(actor=request.auth, assignment=assignment, code=unit[:64])
    total, children = selectors.study_figures(actor=request.auth, assignment=assignment, unit=scope)
    return {
        "assignment_id": assignment.pk,
        "total": _figures_row(total),
        "children": [_figures_row(row) for row in children],
    }


@router.get(
    "/{int:assignment_id}/members",
    response={200: StudyMemberPage, **READ_ERRORS},
    summary="A unit's members and where each stands (filter by state: not_started, studying, studied, passed)",
)
def members(request, assignment_id: Int64, page: Query[PageIn], unit: str = "", state: str = ""):
    assignment = selectors.assignment_get(actor=request.auth, pk=assignment_id)
    scope = selectors.figures_unit_get(actor=request.auth, assignment=assignment, code=unit[:64])
    rows = selectors.member_states(
        actor=request.auth, assignment=assignment, unit=scope, state=state if state in StudyState.values else ""
    )
    total, items = page_of(rows, page)
    return {
        "total": total,
        "items": [
            {
                "member_id": member.pk,
                "full_name": member.full_name,
                "unit_code": member.unit.code,
                "state": selectors.member_state(member),
                "best_score": member.p_best_score,
            }
            for member in items
        ],
    }


@router.post(
    "/{int:assignment_id}/marks",
    response={200: StudyMarksOut, **WRITE_ERRORS},
    summary="Mark members who studied with their cell (the cell's secretary)",
)
def marks(request, assignment_id: Int64, payload: StudyMarksIn):
    assignment = selectors.assignment_get(actor=request.auth, pk=assignment_id)
    meeting = selectors.marking_meeting_get(actor=request.auth, pk=payload.meeting_id) if payload.meeting_id else None
    marked = services.marks_record(
        actor=request.auth, assignment=assignment, member_ids=payload.member_ids, meeting=meeting
    )
    return {"marked": marked}
