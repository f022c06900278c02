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
