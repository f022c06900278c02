"""Probation to official membership: the file, the cell's vote and the committee's decision, and what they do to
the member's record and the figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission import services
from admission.choices import ProbationOutcome, ProbationStage
from admission.models import ProbationCase
from audit.models import ChangeLog
from common.indicators import indicator_get
from common.tests.clock import TODAY
from members.choices import LeavingForm, MemberStatus, Standing
from rollout.recount import find_differences
from rollout.selectors import unit_figures

from .factories import FILE, JOINED_ON, filed_case, make_probationary, open_case, voted_case

pytestmark = pytest.mark.django_db


def figure(key, unit, day=TODAY):
    return indicator_get(key).compute(unit, day)


def test_a_case_is_opened_once_for_every_probationary_member(tree):
    member = make_probationary(tree)

    assert services.probation_cases_open() == 1
    assert services.probation_cases_open() == 0

    case = ProbationCase.objects.get(member=member)
    assert (case.unit, case.committee, case.due_on) == (tree.cell_a1, tree.commune_a, datetime.date(2026, 12, 9))
    assert case.stage == ProbationStage.OPEN
    assert not ProbationCase.objects.filter(member=tree.member_a1).exists()  # official members have none


def test_a_cell_in_a_grassroots_committee_is_decided_by_the_commune(tree):
    case = open_case(tree, unit=tree.cell_ag1)
    assert case.committee == tree.commune_a


def test_a_probationary_member_is_walked_to_official_and_every_figure_counts_it_at_once(tree):
    # Given a probationary member of cell A1 whose probation ends next week
    case = open_case(tree)
    members_before = unit_figures(unit=tree.commune_a).members
    assert figure("admission_probation_due", tree.commune_a) == 1
    assert figure("admission_made_official", tree.commune_a) == 0

    # When the secretary records the file and the cell's vote, and the commune's officer decides
    case = services.probation_file_record(actor=tree.users["secretary_a1"], case=case, **FILE)
    case = services.probation_cell_vote_record(
        actor=tree.users["secretary_a1"], case=case, votes_for=5, voters=6, voted_on=TODAY
    )
    assert case.stage == ProbationStage.CELL_VOTED
    case = services.probation_decide(
        actor=tree.users["officer_a"],
        case=case,
        outcome=ProbationOutcome.OFFICIAL,
        decided_on=TODAY,
        decision_number="12-QĐ/ĐU",
    )

    # Then the member is official from the decision's date, and the figures say so at once
    member = case.member
    member.refresh_from_db()
    assert (member.standing, member.official_on) == (Standing.OFFICIAL, TODAY)
    assert case.stage == ProbationStage.OFFICIAL
    assert figure("admission_probation_due", tree.commune_a) == 0
    assert figure("admission_made_official", tree.commune_a) == 1
    assert figure("admission_made_official", tree.commune_b) == 0
    assert unit_figures(unit=tree.commune_a).members == members_before
    assert find_differences() == []
    # And the change log keeps every step, the member's record included
    assert ChangeLog.objects.filter(object_id=case.pk, object_type__model="probationcase").count() == 4
    assert ChangeLog.objects.filter(object_id=member.pk, object_type__model="member", actor=tree.users["officer_a"])


def test_ending_the_probation_removes_the_member_and_the_figures_count_one_less(tree):
    case = open_case(tree)
    members_before = unit_figures(unit=tree.commune_a).members

    services.probation_decide(
        actor=tree.users["officer_a"],
        case=case,
        outcome=ProbationOutcome.END,
        decided_on=TODAY,
        reason="Không đủ tư cách đảng viên",
    )

    member = case.member
    member.refresh_from_db()
    assert (member.status, member.leaving_form, member.left_on) == (MemberStatus.LEFT, LeavingForm.STRUCK_OFF, TODAY)
    assert member.leaving_reason == "Không đủ tư cách đảng viên"
    assert unit_figures(unit=tree.commune_a).members == members_before - 1
    assert find_differences() == []


def test_the_probation_is_extended_once_by_twelve_months_at_most(tree):
    case = voted_case(tree)
    decide = dict(actor=tree.users["officer_a"], outcome=ProbationOutcome.EXTEND, decided_on=TODAY, reason="Chưa đạt")

    with pytest.raises(ValidationError, match="12 months"):
        services.probation_decide(case=case, extended_to=datetime.date(2027, 12, 10), **decide)
    case = services.probation_decide(case=case, extended_to=datetime.date(2027, 6, 9), **decide)

    assert (case.stage, case.due_on, case.first_due_on) == (
        ProbationStage.EXTENDED,
        datetime.date(2027, 6, 9),
        JOINED_ON.replace(year=2026),
    )
    assert case.cell_votes_for is None  # the cell votes again at the end of the extension
    case.member.refresh_from_db()
    assert case.member.standing == Standing.PROBATIONARY
    with pytest.raises(ValidationError, match="extended once"):
        services.probation_decide(case=case, extended_to=datetime.date(2027, 9, 9), **decide)


def test_the_cell_must_vote_before_the_member_is_made_official(tree):
    case = filed_case(tree)
    with pytest.raises(ValidationError, match="not voted"):
        services.probation_decide(
            actor=tree.users["officer_a"], case=case, outcome=ProbationOutcome.OFFICIAL, decided_on=TODAY
        )


def test_the_cells_vote_needs_more_than_half_for(tree):
    case = filed_case(tree)
    with pytest.raises(ValidationError, match="half"):
        services.probation_cell_vote_record(
            actor=tree.users["secretary_a1"], case=case, votes_for=3, voters=6, voted_on=TODAY
        )
    case.refresh_from_db()
    assert case.stage == ProbationStage.OPEN


def test_the_vote_needs_the_application_first(tree):
    case = open_case(tree)
    with pytest.raises(ValidationError, match="application"):
        services.probation_cell_vote_record(
            actor=tree.users["secretary_a1"], case=case, votes_for=5, voters=6, voted_on=TODAY
        )


def test_dates_in_the_future_are_refused(tree):
    case = open_case(tree)
    with pytest.raises(ValidationError):
        services.probation_file_record(
            actor=tree.users["secretary_a1"],
            case=case,
            **{**FILE, "application_on": TODAY + datetime.timedelta(days=1)},
        )


@pytest.mark.parametrize("who", ["officer_b", "member_a1", "secretary_a1"])
def test_only_the_commune_committee_decides(tree, who):
    case = voted_case(tree)
    with pytest.raises(PermissionDenied):
        services.probation_decide(actor=tree.users[who], case=case, outcome=ProbationOutcome.OFFICIAL, decided_on=TODAY)
    case.member.refresh_from_db()
    assert case.member.standing == Standing.PROBATIONARY


@pytest.mark.parametrize("who", ["officer_b", "member_a1"])
def test_only_the_cells_secretary_and_those_above_record_the_file(tree, who):
    case = open_case(tree)
    with pytest.raises(PermissionDenied):
        services.probation_file_record(actor=tree.users[who], case=case, **FILE)


def test_a_case_follows_its_member_to_another_commune(tree):
    from members.services import member_update

    case = open_case(tree)
    member_update(actor=None, member=case.member, data={"unit": tree.cell_b1}, reason="Chuyển sinh hoạt")

    services.probation_cases_open()

    case.refresh_from_db()
    assert (case.unit, case.committee) == (tree.cell_b1, tree.commune_b)


def test_the_late_figure_waits_for_the_next_working_day_after_a_holiday(tree, pinned_clock):
    from common.models import PublicHoliday

    # Probation ends on Friday 1 January 2027, New Year's Day: the committee has until Monday 4 January.
    PublicHoliday.objects.get_or_create(day=datetime.date(2027, 1, 1), defaults={"name": "Tết Dương lịch"})
    open_case(tree, joined_on=datetime.date(2026, 1, 1))

    assert figure("admission_probation_late", tree.commune_a, datetime.date(2027, 1, 4)) == 0
    assert figure("admission_probation_late", tree.commune_a, datetime.date(2027, 1, 5)) == 1
    assert figure("admission_probation_late", tree.cell_a1, datetime.date(2027, 1, 5)) == 1
    assert figure("admission_probation_late", tree.commune_b, datetime.date(2027, 1, 5)) == 0


def test_a_member_made_official_by_editing_the_record_leaves_the_lists(tree):
    from admission.selectors import open_cases
    from members.services import member_update

    case = open_case(tree)
    member_update(
        actor=tree.users["officer_a"],
        member=case.member,
        data={"standing": Standing.OFFICIAL, "official_on": TODAY},
        reason="Nhập từ hồ sơ giấy",
    )

    assert not open_cases(actor=tree.users["officer_a"]).exists()
    assert figure("admission_probation_due", tree.commune_a) == 0
