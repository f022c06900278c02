"""The statutory public holidays (Labour Code 2019, art. 112) for 2026 and 2027.

Fixed days: New Year (1/1), Reunification (30/4), Labour Day (1/5), National Day (2/9 and the day beside it the
Government names; 1/9 is seeded). Lunar days, converted: Tết (the last day of the old year and the first four of
the new) and the Hùng Kings' day (10th of the 3rd lunar month). The Government's yearly decisions (days swapped
to make a longer Tết, compensating days) are entered by administrators.
"""

import datetime

from django.db import migrations

HOLIDAYS = [
    ("2026-01-01", "Tết Dương lịch"),
    *[(f"2026-02-{day}", "Tết Nguyên đán") for day in (16, 17, 18, 19, 20)],
    ("2026-04-26", "Giỗ Tổ Hùng Vương"),
    ("2026-04-30", "Ngày Chiến thắng"),
    ("2026-05-01", "Ngày Quốc tế Lao động"),
    ("2026-09-01", "Quốc khánh"),
    ("2026-09-02", "Quốc khánh"),
    ("2027-01-01", "Tết Dương lịch"),
    *[(f"2027-02-0{day}", "Tết Nguyên đán") for day in (5, 6, 7, 8, 9)],
    ("2027-04-16", "Giỗ Tổ Hùng Vương"),
    ("2027-04-30", "Ngày Chiến thắng"),
    ("2027-05-01", "Ngày Quốc tế Lao động"),
    ("2027-09-01", "Quốc khánh"),
    ("2027-09-02", "Quốc khánh"),
]


def seed(apps, schema_editor):
    PublicHoliday = apps.get_model("common", "PublicHoliday")
    for day, name in HOLIDAYS:
        PublicHoliday.objects.get_or_create(day=datetime.date.fromisoformat(day), defaults={"name": name})


def unseed(apps, schema_editor):
    PublicHoliday = apps.get_model("common", "PublicHoliday")
    PublicHoliday.objects.filter(day__in=[datetime.date.fromisoformat(day) for day, _name in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("common", "0001_public_holidays")]

    operations = [migrations.RunPython(seed, unseed)]
