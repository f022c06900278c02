import datetime
import random

from common.tests.serials import Serial
from members.choices import Sex
from members.services import member_create

_serial = Serial()
_PROVINCE_CODES = ["001", "034", "079", "036", "019"]


def citizen_id_for(*, sex: str, date_of_birth: datetime.date, serial: int, province: str = "001") -> str:
    century_digit = 2 * ((date_of_birth.year - 1900) // 100) + (0 if sex == Sex.MALE else 1)
    return f"{province}{century_digit}{date_of_birth.year % 100:02d}{serial % 1_000_000:06d}"


def member_data(*, unit, **overrides) -> dict:
    serial = next(_serial)
    sex = overrides.get("sex", random.choice([Sex.MALE, Sex.FEMALE]))
    date_of_birth = overrides.get("date_of_birth", datetime.date(1955 + serial % 40, 1 + serial % 12, 1 + serial % 28))
    joined_on = overrides.get("joined_on", datetime.date(date_of_birth.year + 25, 5, 19))
    data = {
        "unit": unit,
        "full_name": f"Nguyễn Văn Thành {serial}",
        "sex": sex,
        "date_of_birth": date_of_birth,
        "joined_on": joined_on,
        "official_on": datetime.date(joined_on.year + 1, joined_on.month, joined_on.day),
        "citizen_id": citizen_id_for(
            sex=sex, date_of_birth=date_of_birth, serial=serial, province=_PROVINCE_CODES[serial % 5]
        ),
        "card_number": f"{10_000_000 + serial}",
        "phone": f"09{serial:08d}",
    }
    data.update(overrides)
    return data


def make_member(*, unit, actor=None, **overrides):
    return member_create(actor=actor, data=member_data(unit=unit, **overrides))
