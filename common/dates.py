"""Date helpers: Vietnam's calendar day, and ages counted the way forms count them."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years; 29 February falls back to 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the current time zone, for 'as it stood on that date' reads."""
    start_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start_next) - datetime.timedelta(microseconds=1)
