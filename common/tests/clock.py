"""The suite's one "today": every test runs at the same pinned instant, whatever the machine's clock says.

The root conftest moves the clock here before each test (time-machine, ticking from that instant), so the
dates a test builds and the dates the code reads agree on any day a clone is tested. A test that needs
another day moves the clock itself, through the `time_machine` fixture: `time_machine.move_to(at(...))`.

The pinned hour is early morning in Việt Nam, when the UTC date is still the day before: code that takes
the UTC date (or the machine's) for the Vietnamese one fails the suite instead of failing one night a year.
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

TODAY = datetime.date(2026, 12, 2)
NOW = datetime.datetime.combine(TODAY, datetime.time(6, 30), tzinfo=VIETNAM)


def at(day: datetime.date, hour: int = 6, minute: int = 30) -> datetime.datetime:
    """An instant of `day`, Việt Nam time: where a test moves the clock to."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VIETNAM)


def pinned() -> time_machine.travel:
    """The pinned clock for data a fixture wider than one test builds (before the per-test pin starts)."""
    return time_machine.travel(NOW, tick=True)
