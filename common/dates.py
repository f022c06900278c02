"""Date helpers: Vietnam's calendar day, and ages counted the way forms count them."""

import calendar
import datetime

from django.utils import timezone

from .models import PublicHoliday


def today() -> datetime.date:
    # The site's one time zone (settings.TIME_ZONE; none is ever activated per user): `timezone.localdate()` would
    # look up the active zone in a context-local on every call, and record checks ask for the day per record.
    return timezone.now().astimezone(timezone.get_default_timezone()).date()


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years; 29 February falls back to 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; a day the month lacks falls back to its last day (31 May + 1 → 30 June,
    30 November + 3 → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the current time zone, for 'as it stood on that date' reads."""
    start_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start_next) - datetime.timedelta(microseconds=1)


def holidays_between(first: datetime.date, last: datetime.date) -> frozenset[datetime.date]:
    """The public holidays from `first` to `last`, read once for a whole list of dates."""
    return frozenset(PublicHoliday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days after `start`: Monday to Friday, less the public holidays (common.PublicHoliday)."""
    # Holidays are few: read those of a span surely long enough (two weeks of slack per 10 days) at once.
    horizon = start + datetime.timedelta(days=days * 2 + 30)
    holidays = set(PublicHoliday.objects.filter(day__gt=start, day__lte=horizon).values_list("day", flat=True))
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            remaining -= 1
    return day
