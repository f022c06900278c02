"""Rollout figures over the API (the same selectors as the dashboard), and the installed app's report."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from accounts.choices import Permission
from accounts.services import app_installed_record
from common.api import READ_ERRORS, WRITE_ERRORS, PageIn, TextIn, page_of

from . import services
from .choices import PlanStatus
from .selectors import (
    Figures,
    PlanProgress,
    child_figures,
    plan_progress,
    training_sessions,
    training_totals,
    unit_figures,
    unit_for_figures,
    unit_plans,
)

router = Router(tags=["rollout"])


class FiguresOut(Schema):
    unit_code: str
    unit_name: str
    members: int
    eligible: int
    activated: int
    verified: int
    help_sessions: int
    percent_of_members: Decimal | None
    percent_of_eligible: Decimal | None

    @staticmethod
    def resolve_unit_code(figures: Figures) -> str:
        return figures.unit.code

    @staticmethod
    def resolve_unit_name(figures: Figures) -> str:
        return figures.unit.name


class UnitFiguresOut(Schema):
    as_of: datetime.date | None
    unit: FiguresOut
    children: list[FiguresOut]


class AsOfIn(Schema):
    as_of: datetime.date | None = None


@router.get(
    "/units/{code}/figures",
    response={200: UnitFiguresOut, **READ_ERRORS},
    summary="A unit's rollout figures and its children's, laggards first",
)
def figures(request, code: TextIn, filters: Query[AsOfIn]):
    """Figures of the unit's whole subtree now, or as of the end of `as_of`; % of eligible can pass 100."""
    unit = unit_for_figures(actor=request.auth, code=code)
    return {
        "as_of": filters.as_of,
        "unit": unit_figures(unit=unit, as_of=filters.as_of),
        "children": child_figures(unit=unit, as_of=filters.as_of),
    }


class InstalledOut(Schema):
    app_installed_at: datetime.datetime


@router.post(
    "/installed",
    response={200: InstalledOut, **WRITE_ERRORS},
    summary="The installed app reports that it is installed on the signed-in user's phone",
)
def installed(request):
    """Called once by the app after installation; later calls keep the first date."""
    use = app_installed_record(user=request.auth)
    return {"app_installed_at": use.app_installed_at}


class PlanOut(Schema):
    id: int
    unit_code: str
    number: str
    issued_on: datetime.date
    title: str
    target_percent: int = Field(description="% of the eligible members of the unit's subtree activated")
    deadline: datetime.date

    @staticmethod
    def resolve_unit_code(plan) -> str:
        return plan.unit.code


class PlanProgressOut(Schema):
    plan: PlanOut
    percent_of_eligible: Decimal
    expected_percent: Decimal = Field(description="Where a steady pace from the plan's day to the target stands today")
    days_left: int
    status: PlanStatus

    @staticmethod
    def resolve_percent_of_eligible(progress: PlanProgress) -> Decimal:
        return progress.current

    @staticmethod
    def resolve_expected_percent(progress: PlanProgress) -> Decimal:
        return progress.expected


class UnitPlansOut(Schema):
    in_force: PlanProgressOut | None = Field(description="The plan the unit is measured against (its own or above)")
    plans: list[PlanOut] = Field(description="The plans the unit itself issued, latest first")


@router.get(
    "/units/{code}/plans",
    response={200: UnitPlansOut, **READ_ERRORS},
    summary="A unit's rollout plans, and its progress against the plan in force",
)
def plans(request, code: TextIn):
    unit = unit_for_figures(actor=request.auth, code=code)
    return {
        "in_force": plan_progress(unit=unit, figures=unit_figures(unit=unit)),
        "plans": list(unit_plans(unit=unit).select_related("unit")),
    }


class PlanIn(Schema):
    number: TextIn = Field(min_length=1, max_length=50)
    issued_on: datetime.date
    title: TextIn = Field(min_length=1, max_length=200)
    target_percent: int = Field(ge=1, le=100)
    deadline: datetime.date


@router.post("/units/{code}/plans", response={201: PlanOut, **WRITE_ERRORS}, summary="Record a unit's rollout plan")
def plan_create(request, code: TextIn, body: PlanIn):
    unit = unit_for_figures(actor=request.auth, code=code, permission=Permission.MEMBER_CHANGE)
    return Status(201, services.plan_create(actor=request.auth, unit=unit, **body.dict()))


class TrainingOut(Schema):
    id: int
    unit_code: str
    held_on: datetime.date
    place: str
    topic: str
    trainer: str
    trainees: str
    trainee_count: int

    @staticmethod
    def resolve_unit_code(session) -> str:
        return session.unit.code


class TrainingPageOut(Schema):
    sessions: int = Field(description="Trainings held in the unit's subtree")
    trained: int = Field(description="People they trained")
    count: int
    items: list[TrainingOut]


@router.get(
    "/units/{code}/training",
    response={200: TrainingPageOut, **READ_ERRORS},
    summary="Trainings held in a unit's subtree, latest first, with their totals",
)
def training(request, code: TextIn, page: Query[PageIn]):
    unit = unit_for_figures(actor=request.auth, code=code)
    totals = training_totals(unit=unit)
    count, items = page_of(training_sessions(unit=unit), page)
    return {"sessions": totals.sessions, "trained": totals.trained, "count": count, "items": items}


class TrainingIn(Schema):
    held_on: datetime.date = Field(description="Not in the future")
    place: TextIn = Field(min_length=1, max_length=200)
    topic: TextIn = Field(min_length=1, max_length=200)
    trainer: TextIn = Field(min_length=1, max_length=200)
    trainees: TextIn = Field(min_length=1, max_length=300)
    trainee_count: int = Field(ge=1, le=10_000)


@router.post("/units/{code}/training", response={201: TrainingOut, **WRITE_ERRORS}, summary="Record a training")
def training_record(request, code: TextIn, body: TrainingIn):
    unit = unit_for_figures(actor=request.auth, code=code, permission=Permission.MEMBER_CHANGE)
    return Status(201, services.training_record(actor=request.auth, unit=unit, **body.dict()))
