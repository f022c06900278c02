"""The rules of probation (Điều lệ Đảng, Điều 5), as pure functions.

- A probationary member is due to be made official 12 months after admission (the date of joining);
- the member and the cell's secretary are reminded from the 11th month of probation;
- the committee may extend the probation once, by up to 12 months;
- a case is late when its date has passed without a decision. A date that falls on a weekend or a public holiday
  moves to the next working day: the committee cannot meet on it. The holidays are given (selectors.late_flags
  reads them once for a whole list).
"""

import datetime
from collections.abc import Collection

from common.dates import add_months

PROBATION_MONTHS = 12
REMIND_FROM_MONTH = 11
EXTENSION_MAX_MONTHS = 12


def due_on(joined_on: datetime.date) -> datetime.date:
    return add_months(joined_on, PROBATION_MONTHS)


def remind_from_due(due: datetime.date) -> datetime.date:
    """The first day of the 11th month of probation (10 whole months after admission), reckoned from its end so
    that an extended probation is reminded the same way: two months before it ends."""
    return add_months(due, REMIND_FROM_MONTH - 1 - PROBATION_MONTHS)


def latest_extension(due: datetime.date) -> datetime.date:
    return add_months(due, EXTENSION_MAX_MONTHS)


def is_late(due: datetime.date, day: datetime.date, holidays: Collection[datetime.date]) -> bool:
    """Whether `day` is past the last day the decision is on time: the due date, or the next working day when it
    falls on a weekend or one of `holidays` (which must cover the days from `due` to `day`)."""
    deadline = due
    while deadline < day and (deadline.weekday() >= 5 or deadline in holidays):
        deadline += datetime.timedelta(days=1)
    return deadline < day


def has_majority(votes_for: int, voters: int) -> bool:
    """More than half of those voting."""
    return votes_for * 2 > voters
