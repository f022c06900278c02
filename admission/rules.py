"""The rules of probation (Điều lệ Đảng, Điều 5), as pure functions.

- A probationary member is due to be made official 12 months after admission (the date of joining);
- the member and the cell's secretary are reminded from the 11th month of probation;
- the committee may extend the probation once, by up to 12 months;
- a case is late when its date has passed without a decision. A date that falls on a weekend or a public holiday
  moves to the next working day (common.dates.add_working_days): the committee cannot meet on it.
"""

import calendar
import datetime

from common.dates import add_working_days

PROBATION_MONTHS = 12
REMIND_FROM_MONTH = 11
EXTENSION_MAX_MONTHS = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; a day the month lacks falls back to its last day (31 May + 1 → 30 June)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(joined_on: datetime.date) -> datetime.date:
    return add_months(joined_on, PROBATION_MONTHS)


def remind_from_due(due: datetime.date) -> datetime.date:
    """The first day of the 11th month of probation (10 whole months after admission), reckoned from its end so
    that an extended probation is reminded the same way: two months before it ends."""
    return add_months(due, REMIND_FROM_MONTH - 1 - PROBATION_MONTHS)


def latest_extension(due: datetime.date) -> datetime.date:
    return add_months(due, EXTENSION_MAX_MONTHS)


def deadline(due: datetime.date) -> datetime.date:
    """The last day the decision is on time: the due date, or the next working day when it falls on a day off."""
    return add_working_days(due - datetime.timedelta(days=1), 1)


def is_late(due: datetime.date, day: datetime.date) -> bool:
    return deadline(due) < day


def has_majority(votes_for: int, voters: int) -> bool:
    """More than half of those voting."""
    return votes_for * 2 > voters
