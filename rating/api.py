"""The yearly rating over the API: the same selectors and services as the pages."""

import datetime

from ninja import Field, Router, Schema

from common.api import READ_ERRORS, WRITE_ERRORS, Int64, TextIn

from . import selectors, services
from .choices import Grade

router = Router(tags=["rating"])


class RatingOut(Schema):
    id: int
    campaign_id: int
    year: int
    member_id: int
    unit_code: str
    stage: str
    excluded_reason: str
    points: int | None
    self_grade: str
    cell_grade: str
    grade: str
    self_reviewed_at: datetime.datetime | None
    decided_at: datetime.datetime | None


class SelfReviewIn(Schema):
    rating_id: Int64
    strengths: TextIn
    shortcomings: TextIn = ""
    remedies: TextIn
    points: int = Field(..., ge=0, le=100)
    self_grade: Grade


class GradeCountOut(Schema):
    grade: str
    count: int


class ResultsOut(Schema):
    campaign_id: int
    year: int
    unit_code: str
    rows: int
    not_rated: int
    waiting: int
    self_reviewed: int
    proposed: int
    decided: int
    grades: list[GradeCountOut]
    excellent_allowed: int


def _out(rating) -> dict:
    return {
        "id": rating.pk,
        "campaign_id": rating.campaign_id,
        "year": rating.campaign.year,
        "member_id": rating.member_id,
        "unit_code": rating.unit.code,
        "stage": rating.stage,
        "excluded_reason": rating.excluded_reason,
        "points": rating.points,
        "self_grade": rating.self_grade,
        "cell_grade": rating.cell_grade,
        "grade": rating.grade,
        "self_reviewed_at": rating.self_reviewed_at,
        "decided_at": rating.decided_at,
    }


@router.get("/mine", response={200: list[RatingOut], **READ_ERRORS}, summary="The signed-in member's ratings")
def mine(request):
    return [_out(rating) for rating in selectors.own_ratings(user=request.auth)]


@router.post("/self-review", response={200: RatingOut, **WRITE_ERRORS}, summary="File one's self-review")
def self_review(request, payload: SelfReviewIn):
    data = payload.dict()
    rating = selectors.own_rating_get(user=request.auth, pk=data.pop("rating_id"))
    rating = services.self_review_file(actor=request.auth, rating=rating, **data)
    return _out(selectors.own_rating_get(user=request.auth, pk=rating.pk))


@router.get(
    "/campaigns/{int:campaign_id}/results",
    response={200: ResultsOut, **READ_ERRORS},
    summary="A campaign's figures over the committee's subtree",
)
def results(request, campaign_id: Int64):
    campaign = selectors.campaign_get(actor=request.auth, pk=campaign_id)
    total, _children = selectors.results(actor=request.auth, campaign=campaign, unit=campaign.unit)
    return {
        "campaign_id": campaign.pk,
        "year": campaign.year,
        "unit_code": campaign.unit.code,
        "rows": total.rows,
        "not_rated": total.excluded,
        "waiting": total.waiting,
        "self_reviewed": total.self_reviewed,
        "proposed": total.proposed,
        "decided": total.decided,
        "grades": [{"grade": grade, "count": total.by_grade.get(grade, 0)} for grade in Grade.values],
        "excellent_allowed": selectors.quota_status(campaign=campaign).allowed,
    }
