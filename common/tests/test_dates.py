"""common.dates: months added the way forms count them, and the holidays of a span read once."""

import datetime

import pytest

from common.dates import add_months, holidays_between
from common.models import PublicHoliday


def test_a_day_the_month_lacks_falls_back_to_its_last_day():
    assert add_months(datetime.date(2026, 5, 31), 1) == datetime.date(2026, 6, 30)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)
    assert add_months(datetime.date(2027, 1, 15), -1) == datetime.date(2026, 12, 15)


@pytest.mark.django_db
def test_the_holidays_between_two_days_include_both_ends():
    PublicHoliday.objects.get_or_create(day=datetime.date(2030, 1, 1), defaults={"name": "Tết Dương lịch"})
    PublicHoliday.objects.get_or_create(day=datetime.date(2030, 1, 3), defaults={"name": "Ngày thử"})

    assert holidays_between(datetime.date(2030, 1, 1), datetime.date(2030, 1, 3)) == {
        datetime.date(2030, 1, 1),
        datetime.date(2030, 1, 3),
    }
    assert holidays_between(datetime.date(2030, 1, 2), datetime.date(2030, 1, 2)) == frozenset()
