import datetime

from django.utils import timezone

from meetings.services import meeting_create


def at(year, month, day, hour=8, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def make_meeting(*, unit, starts_at=None, topic="Sinh hoạt chi bộ", place="Nhà văn hoá thôn", **fields):
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=3)
    return meeting_create(actor=None, unit=unit, topic=topic, place=place, starts_at=starts_at, **fields)


def started_meeting(*, unit, minutes_ago=30, **fields):
    """A meeting that began `minutes_ago` and is still running (two hours long)."""
    return make_meeting(unit=unit, starts_at=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields)
