import datetime

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from admission.models import ProbationCase
from admission.services import probation_cases_open
from common.tests.clock import TODAY
from members.choices import Standing
from members.tests.factories import make_member

# Admitted a year and a week before the pinned day: probation ends next week (Wednesday 9 December 2026).
JOINED_ON = datetime.date(2025, 12, 9)

FILE = {
    "application": "Tôi xin được công nhận là đảng viên chính thức. Trong thời gian dự bị tôi đã ...",
    "application_on": TODAY - datetime.timedelta(days=5),
    "introducers_opinion": "Đồng chí đủ tư cách để công nhận đảng viên chính thức.",
    "introducers_opinion_on": TODAY - datetime.timedelta(days=4),
    "mass_org_opinion": "Đoàn thanh niên nhất trí đề nghị.",
    "mass_org_opinion_on": TODAY - datetime.timedelta(days=3),
}


def make_probationary(tree, *, unit=None, joined_on=JOINED_ON, full_name="Phạm Thị Dự Bị", with_account=True):
    member = make_member(
        unit=unit or tree.cell_a1,
        full_name=full_name,
        joined_on=joined_on,
        official_on=None,
        standing=Standing.PROBATIONARY,
        date_of_birth=datetime.date(2000, 3, 4),
    )
    if with_account:
        make_user(role=RoleKind.MEMBER, unit=member.unit, member=member, username=f"probationary{member.pk}")
    return member


def open_case(tree, **options) -> ProbationCase:
    member = make_probationary(tree, **options)
    probation_cases_open()
    return ProbationCase.objects.get(member=member)


def filed_case(tree, **options) -> ProbationCase:
    from admission.services import probation_file_record

    return probation_file_record(actor=tree.users["secretary_a1"], case=open_case(tree, **options), **FILE)


def voted_case(tree, **options) -> ProbationCase:
    from admission.services import probation_cell_vote_record

    return probation_cell_vote_record(
        actor=tree.users["secretary_a1"], case=filed_case(tree, **options), votes_for=5, voters=6, voted_on=TODAY
    )


CANDIDATE = {
    "full_name": "Đỗ Minh Ưu Tú",
    "date_of_birth": datetime.date(1999, 5, 6),
    "sex": "male",
    "citizen_id": "001099012345",
}


def candidate_at(tree, stage: str, **overrides):
    """A candidate of cell A1 taken through the steps up to `stage` by the secretary (and the commune's officer)."""
    from admission import services
    from admission.choices import CANDIDATE_STEPS

    secretary = tree.users["secretary_a1"]
    candidate = services.candidate_propose(actor=secretary, unit=tree.cell_a1, **{**CANDIDATE, **overrides})
    steps = CANDIDATE_STEPS[1 : CANDIDATE_STEPS.index(stage) + 1]
    if not steps:
        return candidate
    if "trained" in steps:
        candidate = services.candidate_training_record(
            actor=secretary,
            candidate=candidate,
            training_course="Lớp bồi dưỡng nhận thức về Đảng",
            certificate_on=TODAY,
        )
    if "verified" in steps:
        candidate = services.candidate_verification_record(
            actor=secretary, candidate=candidate, background_check="Lý lịch rõ ràng.", background_checked_on=TODAY
        )
    if "introduced" in steps:
        second = make_member(unit=tree.cell_a1, full_name="Vũ Văn Giới Thiệu")
        candidate = services.candidate_introducers_record(
            actor=secretary,
            candidate=candidate,
            introducer_1=tree.member_a1,
            introducer_2=second,
            mass_org_recommendation="Đoàn thanh niên giới thiệu.",
            mass_org_recommendation_on=TODAY,
        )
    if "cell_voted" in steps:
        candidate = services.candidate_cell_vote_record(
            actor=secretary, candidate=candidate, votes_for=5, voters=6, voted_on=TODAY
        )
    if "admitted" in steps:
        candidate = services.candidate_admit(
            actor=tree.users["officer_a"], candidate=candidate, admitted_on=TODAY, decision_number="21-QĐ/ĐU"
        )
    return candidate
