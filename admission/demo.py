"""The demo's admission and probation: in the demo cell, one probationary member whose probation ends next month
(the reminders of the 11th month are due) and one whose probation ended three weeks ago without a decision (on the
late list); and a candidate at each step of the cell's follow-up, up to the cell's vote waiting for the committee.
No candidate is admitted: the demo's roll keeps the number of members it was built with."""

import datetime

from accounts.models import User
from members.choices import CURRENT_STATUSES, Standing
from members.models import Member
from members.services import member_update
from orgunits.models import Unit

from . import rules
from .choices import CANDIDATE_STEPS, CandidateStage
from .services import (
    candidate_cell_vote_record,
    candidate_introducers_record,
    candidate_propose,
    candidate_training_record,
    candidate_verification_record,
    probation_cases_open,
    probation_file_record,
)

# (full name, sex, date of birth, stage reached)
CANDIDATES = (
    ("Nguyễn Thị Mai Anh", "female", datetime.date(2001, 4, 12), CandidateStage.PROPOSED),
    ("Trần Văn Khánh", "male", datetime.date(1998, 9, 3), CandidateStage.TRAINED),
    ("Lê Thu Hà", "female", datetime.date(2000, 1, 25), CandidateStage.VERIFIED),
    ("Phạm Đức Long", "male", datetime.date(1996, 11, 30), CandidateStage.INTRODUCED),
    ("Hoàng Minh Tâm", "male", datetime.date(1999, 6, 18), CandidateStage.CELL_VOTED),
)


def _citizen_id(sex: str, born: datetime.date, serial: int) -> str:
    century = 2 * ((born.year - 1900) // 100) + (0 if sex == "male" else 1)
    number = 990000 + serial
    while True:
        citizen_id = f"033{century}{born.year % 100:02d}{number:06d}"
        if not Member.objects.filter(citizen_id=citizen_id).exists():
            return citizen_id
        number += 1


def _make_probationary(*, member: Member, joined_on: datetime.date, secretary: User) -> None:
    member_update(
        actor=secretary,
        member=member,
        data={"standing": Standing.PROBATIONARY, "official_on": None, "joined_on": joined_on},
        reason="Dữ liệu minh họa: đảng viên dự bị",
    )


def demo_admission(*, cell: Unit, secretary: User, today: datetime.date) -> None:
    officials = list(
        Member.objects.filter(unit=cell, standing=Standing.OFFICIAL, status__in=CURRENT_STATUSES).order_by(
            "-date_of_birth", "pk"
        )[:4]
    )
    due_next_month, late, first_introducer, second_introducer = officials
    _make_probationary(member=due_next_month, joined_on=rules.add_months(today, -11), secretary=secretary)
    _make_probationary(
        member=late, joined_on=rules.add_months(today, -12) - datetime.timedelta(days=21), secretary=secretary
    )
    probation_cases_open(within=Member.objects.filter(unit=cell))
    late_case = late.probation_case
    probation_file_record(
        actor=secretary,
        case=late_case,
        application="Kính gửi Chi bộ, tôi xin được xét công nhận đảng viên chính thức.",
        application_on=today - datetime.timedelta(days=30),
        introducers_opinion="Đồng chí đủ điều kiện để công nhận đảng viên chính thức.",
        introducers_opinion_on=today - datetime.timedelta(days=28),
    )
    for serial, (full_name, sex, born, stage) in enumerate(CANDIDATES):
        candidate = candidate_propose(
            actor=secretary,
            unit=cell,
            full_name=full_name,
            date_of_birth=born,
            sex=sex,
            citizen_id=_citizen_id(sex, born, serial),
        )
        reached = CANDIDATE_STEPS.index(stage)
        if reached >= CANDIDATE_STEPS.index(CandidateStage.TRAINED):
            candidate = candidate_training_record(
                actor=secretary,
                candidate=candidate,
                training_course="Lớp bồi dưỡng nhận thức về Đảng",
                certificate_on=today - datetime.timedelta(days=60),
            )
        if reached >= CANDIDATE_STEPS.index(CandidateStage.VERIFIED):
            candidate = candidate_verification_record(
                actor=secretary,
                candidate=candidate,
                background_check="Lý lịch rõ ràng; gia đình chấp hành tốt chủ trương, chính sách.",
                background_checked_on=today - datetime.timedelta(days=40),
            )
        if reached >= CANDIDATE_STEPS.index(CandidateStage.INTRODUCED):
            candidate = candidate_introducers_record(
                actor=secretary,
                candidate=candidate,
                introducer_1=first_introducer,
                introducer_2=second_introducer,
                mass_org_recommendation="Đoàn Thanh niên giới thiệu đoàn viên ưu tú.",
                mass_org_recommendation_on=today - datetime.timedelta(days=30),
            )
        if reached >= CANDIDATE_STEPS.index(CandidateStage.CELL_VOTED):
            candidate_cell_vote_record(
                actor=secretary,
                candidate=candidate,
                votes_for=9,
                voters=10,
                voted_on=today - datetime.timedelta(days=7),
            )
