"""Rollout figures over the API (the same selectors as the dashboard), and the installed app's report."""

import datetime
from decimal import Decimal

from ninja import Query, Router, Schema

from accounts.activation.services import app_installed_record
from common.api import READ_ERRORS, WRITE_ERRORS, TextIn

from .selectors import Figures, child_figures, unit_figures, unit_for_figures

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
