"""Candidates for admission: the steps in order, the introducers, the committee's admission creating the member's
record (probationary, with a probation case), the decision as a DOCX, and the figures by stage."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from docx import Document

from admission import services
from admission.choices import CandidateStage, ProbationStage
from admission.models import Candidate, ProbationCase
from common.indicators import indicator_get
from common.tests.clock import TODAY
from members.choices import Standing
from members.tests.factories import make_member
from rollout.recount import find_differences
from rollout.selectors import unit_figures

from .factories import CANDIDATE, candidate_at

pytestmark = pytest.mark.django_db


def test_a_candidate_is_admitted_and_becomes_a_probationary_member_at_once(tree):
    # Given a candidate the cell voted for
    candidate = candidate_at(tree, CandidateStage.CELL_VOTED)
    members_before = unit_figures(unit=tree.commune_a).members

    # When the commune's committee admits them
    candidate = services.candidate_admit(
        actor=tree.users["officer_a"], candidate=candidate, admitted_on=TODAY, decision_number="21-QĐ/ĐU"
    )

    # Then the member's record exists, probationary from the admission date, with a probation case due in a year
    member = candidate.member
    assert (member.full_name, member.standing, member.joined_on, member.unit) == (
        CANDIDATE["full_name"],
        Standing.PROBATIONARY,
        TODAY,
        tree.cell_a1,
    )
    case = ProbationCase.objects.get(member=member)
    assert case.stage == ProbationStage.OPEN and case.due_on == TODAY.replace(year=TODAY.year + 1)
    assert unit_figures(unit=tree.commune_a).members == members_before + 1
    assert find_differences() == []
    # And the candidate's file is kept
    assert candidate.stage == CandidateStage.ADMITTED and candidate.background_check


def test_the_steps_are_recorded_in_order(tree):
    candidate = candidate_at(tree, CandidateStage.PROPOSED)
    with pytest.raises(ValidationError, match="before this one"):
        services.candidate_verification_record(
            actor=tree.users["secretary_a1"], candidate=candidate, background_check="x", background_checked_on=TODAY
        )


def test_introducers_are_two_official_members_of_the_cell(tree):
    candidate = candidate_at(tree, CandidateStage.VERIFIED)
    probationary = make_member(unit=tree.cell_a1, standing=Standing.PROBATIONARY, official_on=None, joined_on=TODAY)
    introduce = dict(actor=tree.users["secretary_a1"], candidate=candidate, introducer_1=tree.member_a1)

    with pytest.raises(ValidationError, match="different"):
        services.candidate_introducers_record(introducer_2=tree.member_a1, **introduce)
    with pytest.raises(ValidationError, match="official member"):
        services.candidate_introducers_record(introducer_2=probationary, **introduce)
    with pytest.raises(ValidationError, match="official member"):
        services.candidate_introducers_record(introducer_2=tree.member_a2, **introduce)  # another cell


def test_a_person_already_a_member_or_a_candidate_is_not_proposed_again(tree):
    candidate_at(tree, CandidateStage.PROPOSED)
    with pytest.raises(ValidationError, match="already a candidate"):
        candidate_at(tree, CandidateStage.PROPOSED)
    with pytest.raises(ValidationError, match="party member"):
        candidate_at(tree, CandidateStage.PROPOSED, citizen_id=tree.member_a1.citizen_id)


@pytest.mark.parametrize("who", ["secretary_a1", "officer_b"])
def test_only_the_commune_committee_admits(tree, who):
    candidate = candidate_at(tree, CandidateStage.CELL_VOTED)
    with pytest.raises(PermissionDenied):
        services.candidate_admit(actor=tree.users[who], candidate=candidate, admitted_on=TODAY)
    assert Candidate.objects.get().member is None


def test_a_dropped_candidate_keeps_the_file(tree):
    candidate = candidate_at(tree, CandidateStage.TRAINED)
    candidate = services.candidate_drop(actor=tree.users["secretary_a1"], candidate=candidate, reason="Đi làm xa")
    assert (candidate.stage, candidate.training_course) == (CandidateStage.DROPPED, "Lớp bồi dưỡng nhận thức về Đảng")


def test_the_figures_count_candidates_by_stage(tree):
    candidate_at(tree, CandidateStage.TRAINED)
    candidate_at(tree, CandidateStage.PROPOSED, citizen_id="001099012346", full_name="Ngô Thị Hai")

    assert indicator_get("admission_candidates_trained").compute(tree.commune_a, TODAY) == 1
    assert indicator_get("admission_candidates_proposed").compute(tree.cell_a1, TODAY) == 1
    assert indicator_get("admission_candidates").compute(tree.commune_a, TODAY) == 2
    assert indicator_get("admission_candidates").compute(tree.commune_b, TODAY) == 0


def test_the_secretary_follows_a_candidate_on_the_pages_and_the_committee_gets_the_decision_docx(tree):
    secretary = Client()
    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    secretary.force_login(tree.users["secretary_a1"])
    response = secretary.post(
        "/admission/candidates/new/", {**CANDIDATE, "unit": "XA-C1", "date_of_birth": "1999-05-06"}
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admission/candidates/{candidate.pk}/"
    page = secretary.get(f"/admission/candidates/{candidate.pk}/").content.decode()
    assert 'name="training_course"' in page and 'name="admitted_on"' not in page

    response = secretary.post(
        f"/admission/candidates/{candidate.pk}/training/",
        {"training_course": "Lớp cảm tình Đảng", "certificate_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == CandidateStage.TRAINED

    admitted = candidate_at(tree, CandidateStage.ADMITTED, citizen_id="001099012347", full_name="Lý Văn Ba")
    officer = Client()
    officer.force_login(tree.users["officer_a"])
    response = officer.get(f"/admission/candidates/{admitted.pk}/decision.docx")
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Lý Văn Ba" in text and "Chi bộ thôn 1" in text
    assert officer.get(f"/admission/candidates/{candidate.pk}/decision.docx").status_code == 404  # not admitted
