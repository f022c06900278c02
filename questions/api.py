"""Questions over the API: ask, my questions, the FAQ, the answerers' queue, answer, publish, close."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, page_of

from . import selectors, services
from .choices import Addressee, QuestionState

router = Router(tags=["questions"])


class QuestionOut(Schema):
    id: int
    addressee: Addressee
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    text: str
    may_publish: bool
    state: QuestionState
    answer: str
    answered_at: datetime.datetime | None
    faq_question: str
    faq_answer: str
    published_at: datetime.datetime | None
    created_at: datetime.datetime


class QuestionPage(Schema):
    count: int
    items: list[QuestionOut]


class FaqOut(Schema):
    """A published question: the anonymised texts only, never who asked."""

    id: int
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    question: str = Field(alias="faq_question")
    answer: str = Field(alias="faq_answer")
    published_at: datetime.datetime | None


class FaqPage(Schema):
    count: int
    items: list[FaqOut]


class AskIn(Schema):
    addressee: Addressee = Addressee.CELL
    text: TextIn
    may_publish: bool = False


class AnswerIn(Schema):
    answer: TextIn


class PublishIn(Schema):
    faq_question: TextIn
    faq_answer: TextIn


class QuestionQueueFilter(PageIn):
    state: QuestionState | None = Field(None, description="Default: the questions still waiting for an answer.")


@router.post("", response={201: QuestionOut, **WRITE_ERRORS}, summary="Ask the cell or the commune committee")
def ask(request, payload: AskIn):
    """Only a party member with a record may ask; the unit's answerers are notified."""
    question = services.question_ask(actor=request.auth, **payload.dict())
    return Status(201, question)


@router.get("/mine", response={200: QuestionPage, **LIST_ERRORS}, summary="The signed-in member's questions")
def mine(request, page: Query[PageIn]):
    count, items = page_of(selectors.my_questions(user=request.auth), page)
    return {"count": count, "items": items}


@router.get("/faq", response={200: FaqPage, **LIST_ERRORS}, summary="Published questions for the user's units")
def faq(request, page: Query[PageIn]):
    count, items = page_of(selectors.faq_for(actor=request.auth), page)
    return {"count": count, "items": items}


@router.get("/queue", response={200: QuestionPage, **LIST_ERRORS}, summary="Questions the user may answer")
def queue(request, filters: Query[QuestionQueueFilter]):
    questions = selectors.question_queue(actor=request.auth, state=filters.state or "")
    count, items = page_of(questions, filters)
    return {"count": count, "items": items}


@router.get("/{question_id}", response={200: QuestionOut, **READ_ERRORS}, summary="One question and its answer")
def detail(request, question_id: Int64):
    return selectors.question_get(actor=request.auth, pk=question_id)


@router.post("/{question_id}/answer", response={200: QuestionOut, **WRITE_ERRORS}, summary="Answer a question")
def answer(request, question_id: Int64, payload: AnswerIn):
    question = selectors.question_get(actor=request.auth, pk=question_id)
    return services.question_answer(actor=request.auth, question=question, answer=payload.answer)


@router.post(
    "/{question_id}/publish",
    response={200: QuestionOut, **WRITE_ERRORS},
    summary="Publish an answered question in the FAQ, anonymised",
)
def publish(request, question_id: Int64, payload: PublishIn):
    question = selectors.question_get(actor=request.auth, pk=question_id)
    return services.question_publish(actor=request.auth, question=question, **payload.dict())


@router.post("/{question_id}/close", response={200: QuestionOut, **WRITE_ERRORS}, summary="Close a question")
def close(request, question_id: Int64):
    question = selectors.question_get(actor=request.auth, pk=question_id)
    return services.question_close(actor=request.auth, question=question)
