"""The rules of a transfer of party activity (chuyển sinh hoạt đảng), as data and pure functions.

- The committee decides and issues the letter within 60 working days of the member's application;
- the member presents the letter to the receiving cell within 30 working days of its issue;
- a temporary transfer is for a stay of 3 months to under a year.
Working days skip weekends and the public holidays of common.models.PublicHoliday (common.dates.add_working_days).
"""

import datetime

from django.utils.translation import gettext as _

from common.dates import add_months, add_working_days, add_years
from orgunits.choices import CELL_KINDS
from orgunits.selectors import commune_committee_of, province_committee_of

from .choices import Route

ISSUE_WORKING_DAYS = 60
PRESENT_WORKING_DAYS = 30
TEMPORARY_MIN_MONTHS = 3


def issue_due(applied_on: datetime.date) -> datetime.date:
    return add_working_days(applied_on, ISSUE_WORKING_DAYS)


def present_due(issued_on: datetime.date) -> datetime.date:
    return add_working_days(issued_on, PRESENT_WORKING_DAYS)


def temporary_stay_problem(moves_on: datetime.date, returns_on: datetime.date | None) -> str:
    """Why the stay does not fit a temporary transfer (3 months to under a year), or ""."""
    if returns_on is None:
        return _("Give the date the member comes back.")
    if returns_on < add_months(moves_on, TEMPORARY_MIN_MONTHS):
        return _("A temporary transfer is for a stay of at least 3 months.")
    if returns_on >= add_years(moves_on, 1):
        return _("A stay of a year or more is an official transfer, not a temporary one.")
    return ""


def route_between(from_cell, to_cell) -> str:
    if to_cell is None:
        return Route.OUT_OF_COVERAGE
    if province_committee_of(from_cell).pk != province_committee_of(to_cell).pk:
        return Route.BETWEEN_PROVINCES
    if commune_committee_of(from_cell).pk != commune_committee_of(to_cell).pk:
        return Route.BETWEEN_COMMUNES
    return Route.WITHIN_COMMUNE


def issuing_committee(from_cell, route: str):
    """Who decides and issues the letter: the commune's committee within the province, the provincial committee
    for a move out of the province or out of Sổ tay."""
    if route in (Route.WITHIN_COMMUNE, Route.BETWEEN_COMMUNES):
        return commune_committee_of(from_cell)
    return province_committee_of(from_cell)


def is_cell(unit) -> bool:
    return unit is not None and unit.kind in CELL_KINDS
