"""The repeating rule: dates per month (month ends, Nth weekday), and generating meetings idempotently."""

import datetime

import pytest
from django.utils import timezone

from meetings.choices import RepeatRule, Weekday, WeekOfMonth
from meetings.models import Meeting
from meetings.recurrence import date_in_month
from meetings.services import series_create, series_generate


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2026, 1, 31), (2026, 2, 28), (2028, 2, 29), (2026, 4, 30), (2026, 12, 31)],
)
def test_day_31_falls_on_the_last_day_of_shorter_months(year, month, expected):
    assert date_in_month(rule=RepeatRule.DAY_OF_MONTH, year=year, month=month, day=31) == datetime.date(
        year, month, expected
    )


def test_the_nth_weekday_of_the_month():
    # March 2026 begins on a Sunday.
    first_saturday = date_in_month(
        rule=RepeatRule.WEEKDAY_OF_MONTH, year=2026, month=3, week=WeekOfMonth.FIRST, weekday=Weekday.SATURDAY
    )
    third_monday = date_in_month(
        rule=RepeatRule.WEEKDAY_OF_MONTH, year=2026, month=3, week=WeekOfMonth.THIRD, weekday=Weekday.MONDAY
    )
    last_tuesday = date_in_month(
        rule=RepeatRule.WEEKDAY_OF_MONTH, year=2026, month=3, week=WeekOfMonth.LAST, weekday=Weekday.TUESDAY
    )

    assert first_saturday == datetime.date(2026, 3, 7)
    assert third_monday == datetime.date(2026, 3, 16)
    assert last_tuesday == datetime.date(2026, 3, 31)


def _monthly_on_31st(tree, today):
    return series_create(
        actor=tree.users["secretary_a1"],
        unit=tree.cell_a1,
        title="Sinh hoạt chi bộ thường kỳ",
        rule=RepeatRule.DAY_OF_MONTH,
        day=31,
        time=datetime.time(19, 30),
        place="Nhà văn hoá thôn 1",
        starts_on=today,
        today=today,
    )


def test_a_series_generates_the_coming_months_with_month_ends(tree):
    series = _monthly_on_31st(tree, datetime.date(2099, 1, 10))

    days = [meeting.series_date for meeting in series.meetings.order_by("starts_at")]
    assert days == [datetime.date(2099, 1, 31), datetime.date(2099, 2, 28), datetime.date(2099, 3, 31)]
    first = series.meetings.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).time() == datetime.time(19, 30)
    assert first.topic == "Sinh hoạt chi bộ thường kỳ 01/2099"


def test_generating_twice_adds_nothing_and_a_later_run_adds_only_the_new_month(tree):
    series = _monthly_on_31st(tree, datetime.date(2099, 1, 10))

    again = series_generate(series=series, today=datetime.date(2099, 1, 10))
    later = series_generate(series=series, today=datetime.date(2099, 2, 1))

    assert again == []
    assert [meeting.series_date for meeting in later] == [datetime.date(2099, 4, 30)]
    assert Meeting.objects.filter(series=series).count() == 4


def test_a_moved_meeting_is_not_generated_again(tree):
    series = _monthly_on_31st(tree, datetime.date(2099, 1, 10))
    meeting = series.meetings.get(series_date=datetime.date(2099, 2, 28))
    meeting.starts_at = meeting.starts_at + datetime.timedelta(days=2)
    meeting.ends_at = meeting.ends_at + datetime.timedelta(days=2)
    meeting.save()

    assert series_generate(series=series, today=datetime.date(2099, 1, 10)) == []


def test_a_series_needs_the_rules_fields_and_the_permission(tree):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as raised:
        series_create(
            actor=tree.users["secretary_a1"],
            unit=tree.cell_a1,
            title="X",
            rule=RepeatRule.WEEKDAY_OF_MONTH,
            time=datetime.time(8),
            place="Y",
            starts_on=datetime.date(2099, 1, 1),
        )
    assert set(raised.value.message_dict) == {"week", "weekday"}
    with pytest.raises(PermissionDenied):
        series_create(
            actor=tree.users["officer_b"],
            unit=tree.cell_a1,
            title="X",
            rule=RepeatRule.DAY_OF_MONTH,
            day=4,
            time=datetime.time(8),
            place="Y",
            starts_on=datetime.date(2099, 1, 1),
        )
    assert not Meeting.objects.exists()
