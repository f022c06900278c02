"""The demo's registrations where members live (Quy định 213-QĐ/TW): members of the commune's institution cells
who live in one of its villages asked the village's cell to register them; the officer accepted all but one,
refused for living elsewhere, and the village cells gave this year's feedback on half of those accepted."""

import datetime

from accounts.models import User
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .rules import residential_cells_q, work_cells_q
from .selectors import suggested_residential_cell
from .services import feedback_give, registration_accept, registration_refuse, registration_request

REGISTRATIONS = 8


def demo_residence(*, commune: Unit, officer: User, today: datetime.date) -> None:
    residential = Unit.objects.filter(residential_cells_q(), path__startswith=commune.path)
    candidates = Member.objects.filter(
        work_cells_q(via="unit__"),
        unit__path__startswith=commune.path,
        status__in=CURRENT_STATUSES,
        residence_area__in=residential.values("area"),
    ).order_by("sort_name", "pk")[:REGISTRATIONS]
    for number, member in enumerate(candidates):
        registration = registration_request(
            actor=officer, member=member, residential_unit=suggested_residential_cell(member)
        )
        if number == REGISTRATIONS - 1:
            registration_refuse(actor=officer, registration=registration, reason="Đồng chí đã chuyển nơi ở khỏi thôn.")
            continue
        registration_accept(actor=officer, registration=registration)
        if number % 2 == 0:
            feedback_give(
                actor=officer,
                registration=registration,
                year=today.year,
                keeps_contact=True,
                sets_example=True,
                takes_part=number % 4 == 0,
                remarks="Gương mẫu, giữ mối liên hệ thường xuyên với chi ủy và nhân dân nơi cư trú.",
            )
