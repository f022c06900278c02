"""The repeating rule's dates: pure date arithmetic, no database."""

import calendar
import datetime

from .choices import RepeatRule, WeekOfMonth


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def date_in_month(*, rule: str, year: int, month: int, day=None, week=None, weekday=None) -> datetime.date:
    """The date the rule gives in one month.

    Day of the month: day 31 (or 29, 30) in a shorter month falls on the month's last day, so a cell meeting
    "on the 31st" still meets once a month. Weekday: the first to fourth, or the last (week 5), of that weekday.
    """
    if rule == RepeatRule.DAY_OF_MONTH:
        return datetime.date(year, month, min(day, last_day(year, month)))
    if week == WeekOfMonth.LAST:
        end = datetime.date(year, month, last_day(year, month))
        return end - datetime.timedelta(days=(end.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def series_dates(series, *, start: datetime.date, months: int) -> list[datetime.date]:
    """The series' dates from `start` (inclusive) through the end of the `months`-th month after start's month,
    within the series' own from/until dates."""
    dates = []
    for offset in range(months + 1):
        year, month = add_months(start.year, start.month, offset)
        day = date_in_month(
            rule=series.rule, year=year, month=month, day=series.day, week=series.week, weekday=series.weekday
        )
        if day < start or day < series.starts_on or (series.ends_on and day > series.ends_on):
            continue
        dates.append(day)
    return dates
