"""A candidate walked to official member end to end, the cell's votes taken from a Sổ tay meeting, the forms (mẫu
KNĐ) as DOCX, the candidate steps over the API, and cases whose member dies or leaves while they are open."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from docx import Document

from admission import selectors, services
from admission.choices import CandidateStage, ProbationOutcome, ProbationStage
from admission.models import Candidate, ProbationCase
from common.indicators import indicator_get
from common.tests.api import api_client
from common.tests.clock import TODAY, at
from meetings import selectors as meeting_selectors
from meetings import services as meeting_services
from meetings.choices import Presence
from meetings.tests.factories import started_meeting
from members.choices import MemberStatus, Standing
from members.models import Member
from members.services import member_update
from members.tests.factories import make_member
from rollout.recount import find_differences

from .factories import CANDIDATE, FILE, candidate_at, open_case, voted_case

pytestmark = pytest.mark.django_db


def passed_meeting_vote(tree, matter: str):
    """A show of hands passed at a meeting of cell A1 held now, every expected member present and for."""
    secretary = tree.users["secretary_a1"]
    meeting = started_meeting(unit=tree.cell_a1)
    expected = meeting_selectors.expected_members(meeting=meeting)
    meeting_services.attendance_mark_many(
        actor=secretary, meeting=meeting, presences={member.pk: Presence.PRESENT for member in expected}
    )
    vote = meeting_services.vote_open(actor=secretary, meeting=meeting, matter=matter)
    hands = meeting_selectors.voters_present(vote=vote)
    return meeting_services.vote_close(actor=secretary, vote=vote, count_for=hands, count_against=0, count_abstain=0)


def docx_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)


class JsonClient:
    """The API client posting JSON bodies."""

    def __init__(self, user):
        self.client = api_client(user)

    def post(self, url: str, data: dict):
        return self.client.post(url, data=data, content_type="application/json")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_candidate_walks_to_official_member_with_the_cells_votes_taken_in_meetings(tree, pinned_clock):
    secretary, committee = tree.users["secretary_a1"], tree.users["officer_a"]
    admitted_before = indicator_get("admission_admitted").compute(tree.commune_a, TODAY)

    # The cell proposes, trains, verifies and introduces the candidate, then votes in a meeting held in Sổ tay
    candidate = candidate_at(tree, CandidateStage.INTRODUCED)
    vote = passed_meeting_vote(tree, "Đề nghị kết nạp quần chúng Đỗ Minh Ưu Tú")
    assert vote in selectors.candidate_votes(candidate=candidate)
    candidate = services.candidate_cell_vote_record(actor=secretary, candidate=candidate, vote=vote)
    assert (candidate.cell_votes_for, candidate.cell_voters) == (vote.count_for, vote.count_for)
    assert candidate.cell_voted_on == TODAY  # the local day, not the UTC one (06:30 in Việt Nam is 23:30 UTC)

    # The committee admits: a probationary member, counted at once
    candidate = services.candidate_admit(
        actor=committee, candidate=candidate, admitted_on=TODAY, decision_number="21-QĐ/ĐU"
    )
    member = candidate.member
    assert member.standing == Standing.PROBATIONARY
    assert indicator_get("admission_admitted").compute(tree.commune_a, TODAY) == (admitted_before + 1)
    case = ProbationCase.objects.get(member=member)
    assert case.due_on == datetime.date(2027, 12, 2)

    # A year on, the member files, the cell votes in a meeting, the committee decides
    pinned_clock.move_to(at(datetime.date(2027, 12, 6)))  # a Monday after the end of probation
    filed = {
        **FILE,
        "application_on": datetime.date(2027, 12, 1),
        "introducers_opinion_on": datetime.date(2027, 12, 2),
        "mass_org_opinion_on": datetime.date(2027, 12, 3),
    }
    services.probation_file_record(actor=secretary, case=case, **filed)
    vote = passed_meeting_vote(tree, "Đề nghị công nhận đảng viên chính thức")
    case = ProbationCase.objects.get(pk=case.pk)
    assert vote in selectors.cell_votes(case=case)
    services.probation_cell_vote_record(actor=secretary, case=case, vote=vote)
    case = services.probation_decide(
        actor=committee,
        case=ProbationCase.objects.get(pk=case.pk),
        outcome=ProbationOutcome.OFFICIAL,
        decided_on=datetime.date(2027, 12, 6),
        decision_number="40-QĐ/ĐU",
    )

    # The member is official in the record and in every figure
    member.refresh_from_db()
    assert (member.standing, member.official_on) == (Standing.OFFICIAL, datetime.date(2027, 12, 6))
    assert case.stage == ProbationStage.OFFICIAL
    assert member not in selectors.probationary_members_visible_to(committee)
    assert indicator_get("admission_made_official").compute(tree.commune_a, datetime.date(2027, 12, 6)) == 1
    assert find_differences() == []
    # The candidate's file is still there, pointing at the member
    assert Candidate.objects.get(pk=candidate.pk).member == member


def test_a_meeting_vote_that_is_still_open_or_of_another_cell_is_refused(tree):
    candidate = candidate_at(tree, CandidateStage.INTRODUCED)
    secretary = tree.users["secretary_a1"]
    meeting = started_meeting(unit=tree.cell_a1)
    meeting_services.attendance_mark_many(
        actor=secretary,
        meeting=meeting,
        presences={member.pk: Presence.PRESENT for member in meeting_selectors.expected_members(meeting=meeting)},
    )
    still_open = meeting_services.vote_open(actor=secretary, meeting=meeting, matter="Kết nạp")

    with pytest.raises(ValidationError, match="closed vote"):
        services.candidate_cell_vote_record(actor=secretary, candidate=candidate, vote=still_open)
    assert Candidate.objects.get(pk=candidate.pk).stage == CandidateStage.INTRODUCED


def test_the_forms_are_written_from_the_file(tree):
    candidate = candidate_at(tree, CandidateStage.CELL_VOTED)
    secretary = signed_in(tree.users["secretary_a1"])

    introduction = docx_text(secretary.get(f"/admission/candidates/{candidate.pk}/introduction-1.docx"))
    assert "Mẫu 3-KNĐ" in introduction
    assert tree.member_a1.full_name in introduction and CANDIDATE["full_name"] in introduction
    second = docx_text(secretary.get(f"/admission/candidates/{candidate.pk}/introduction-2.docx"))
    assert "Vũ Văn Giới Thiệu" in second
    resolution = docx_text(secretary.get(f"/admission/candidates/{candidate.pk}/cell-resolution.docx"))
    assert "Mẫu 6-KNĐ" in resolution and "tán thành 5 đồng chí, không tán thành 1 đồng chí" in resolution

    case = voted_case(tree, joined_on=datetime.date(2025, 11, 20))
    official = docx_text(secretary.get(f"/admission/probation/{case.pk}/cell-resolution.docx"))
    assert "Mẫu 13-KNĐ" in official and case.member.full_name in official
    # No decision yet: no decision form
    assert secretary.get(f"/admission/probation/{case.pk}/decision.docx").status_code == 404
    services.probation_decide(
        actor=tree.users["officer_a"], case=case, outcome=ProbationOutcome.OFFICIAL, decided_on=TODAY
    )
    decision = docx_text(secretary.get(f"/admission/probation/{case.pk}/decision.docx"))
    assert "công nhận đảng viên chính thức" in decision and f"{TODAY:%d/%m/%Y}" in decision


def test_a_form_the_file_cannot_fill_yet_is_not_found(tree):
    candidate = candidate_at(tree, CandidateStage.VERIFIED)
    secretary = signed_in(tree.users["secretary_a1"])
    for form in ("introduction-1", "introduction-2", "cell-resolution"):
        assert secretary.get(f"/admission/candidates/{candidate.pk}/{form}.docx").status_code == 404
    case = open_case(tree)
    assert secretary.get(f"/admission/probation/{case.pk}/cell-resolution.docx").status_code == 404


def test_the_candidate_steps_over_the_api(tree):
    secretary, committee = JsonClient(tree.users["secretary_a1"]), JsonClient(tree.users["officer_a"])
    second = make_member(unit=tree.cell_a1, full_name="Vũ Văn Giới Thiệu")

    proposed = secretary.post(
        "/api/admission/candidates",
        {**CANDIDATE, "date_of_birth": CANDIDATE["date_of_birth"].isoformat(), "unit_code": tree.cell_a1.code},
    )
    assert proposed.status_code == 201, proposed.content
    pk = proposed.json()["id"]
    day = TODAY.isoformat()
    for step, data in (
        ("training", {"training_course": "Lớp bồi dưỡng nhận thức về Đảng", "certificate_on": day}),
        ("verification", {"background_check": "Lý lịch rõ ràng.", "background_checked_on": day}),
        ("introducers", {"introducer_1_id": tree.member_a1.pk, "introducer_2_id": second.pk}),
        ("cell-vote", {"votes_for": 5, "voters": 6, "voted_on": day}),
    ):
        answer = secretary.post(f"/api/admission/candidates/{pk}/{step}", data)
        assert answer.status_code == 200, (step, answer.content)
    # The secretary cannot admit; the committee can
    assert secretary.post(f"/api/admission/candidates/{pk}/admit", {"admitted_on": day}).status_code == 403
    admitted = committee.post(f"/api/admission/candidates/{pk}/admit", {"admitted_on": day})
    assert admitted.status_code == 200
    assert admitted.json()["stage"] == CandidateStage.ADMITTED and admitted.json()["member_id"]


def test_the_api_refuses_steps_out_of_order_and_introducers_outside_the_cell(tree):
    secretary = JsonClient(tree.users["secretary_a1"])
    candidate = candidate_at(tree, CandidateStage.VERIFIED)
    outsider = make_member(unit=tree.cell_b1, full_name="Người Chi Bộ Khác")

    out_of_order = secretary.post(
        f"/api/admission/candidates/{candidate.pk}/cell-vote", {"votes_for": 5, "voters": 6, "voted_on": str(TODAY)}
    )
    assert out_of_order.status_code == 422
    foreign = secretary.post(
        f"/api/admission/candidates/{candidate.pk}/introducers",
        {"introducer_1_id": tree.member_a1.pk, "introducer_2_id": outsider.pk},
    )
    assert foreign.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).stage == CandidateStage.VERIFIED


@pytest.mark.parametrize(
    "change",
    [
        {"status": MemberStatus.DECEASED, "died_on": datetime.date(2026, 11, 30)},
        {
            "status": MemberStatus.TRANSFERRED_OUT,
            "transferred_out_on": datetime.date(2026, 11, 30),
            "transferred_out_to": "Đảng bộ tỉnh khác",
        },
    ],
    ids=["died", "transferred-out"],
)
def test_a_case_whose_member_dies_or_leaves_sotay_leaves_the_lists_and_records_nothing_more(tree, change):
    # Given a probation that ended and is late
    case = voted_case(tree, joined_on=datetime.date(2025, 11, 20))
    officer = tree.users["officer_a"]
    assert case in selectors.late_cases(actor=officer, day=TODAY)

    # When the member dies (or transfers out of Sổ tay) while it is open
    member_update(actor=officer, member=case.member, data=change, reason="Theo báo cáo của chi bộ")

    # Then the case leaves the late list, the open list, the figures and the reminders
    assert case not in selectors.late_cases(actor=officer, day=TODAY)
    assert case not in selectors.open_cases(actor=officer)
    assert indicator_get("admission_probation_late").compute(tree.commune_a, TODAY) == 0
    assert services.probation_send_reminders(day=TODAY) == (0, 0)
    # And nothing more is recorded on it: no decision makes a dead member official
    with pytest.raises(ValidationError, match="no longer a probationary member"):
        services.probation_decide(actor=officer, case=case, outcome=ProbationOutcome.OFFICIAL, decided_on=TODAY)
    case.refresh_from_db()
    assert case.stage == ProbationStage.CELL_VOTED and not case.outcome
    assert Member.objects.get(pk=case.member_id).standing == Standing.PROBATIONARY


def test_a_member_away_on_a_temporary_transfer_keeps_their_case_open(tree):
    case = open_case(tree, joined_on=datetime.date(2025, 11, 20))
    member_update(
        actor=tree.users["officer_a"],
        member=case.member,
        data={"status": MemberStatus.TRANSFERRED_OUT_TEMPORARILY, "transferred_out_on": TODAY},
        reason="Đi học",
    )
    assert case in selectors.open_cases(actor=tree.users["officer_a"])
    assert timezone.localdate() == TODAY
