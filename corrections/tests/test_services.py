"""The request's life: confirm, forward, approve, reject, conflict; what is refused and why."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from corrections.choices import Decision, EventKind, Level, RequestState
from corrections.models import CorrectionRequest, SectionVerification
from corrections.services import (
    correction_request_create,
    correction_request_decide,
    correction_requests_decide_bulk,
    correction_requests_escalate,
    record_verify,
)
from corrections.tests.factories import make_request, new_birthday
from members.models import Member
from members.services import member_update
from notifications.models import Notification
from orgunits.models import Unit
from rollout.models import UnitFigures


def decide(tree, request, user, decision, reason=""):
    actor = tree.users[user] if isinstance(user, str) else user
    return correction_request_decide(actor=actor, request=request, decision=decision, reason=reason)


@pytest.fixture
def province_officer(tree):
    return make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")


def test_the_secretary_confirms_and_the_commune_officer_approves_a_date_of_birth(tree):
    expected = new_birthday(tree.member_a1)
    request = make_request(tree, value=expected)

    confirmed = decide(tree, request, "secretary_a1", Decision.CONFIRM)
    approved = decide(tree, request, "officer_a", Decision.APPROVE, "Đã đối chiếu giấy khai sinh")

    assert (confirmed.state, confirmed.level, confirmed.assigned_unit) == (
        RequestState.CONFIRMED,
        Level.COMMUNE,
        tree.commune_a,
    )
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.date_of_birth == expected
    assert approved.state == RequestState.APPLIED
    assert approved.decided_by == tree.users["officer_a"]
    entry = ChangeLog.objects.for_object(tree.member_a1).order_by("-id").first()
    assert approved.change_log == entry
    assert f"#{request.pk}" in entry.reason


def test_the_commune_cannot_approve_before_the_cell_confirms(tree):
    request = make_request(tree)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        decide(tree, request, "officer_a", Decision.APPROVE)

    assert raised.value.messages == ["The cell must confirm this request before the commune committee decides."]


def test_the_cell_secretary_cannot_approve_a_request_waiting_for_the_commune(tree):
    request = decide(tree, make_request(tree), "secretary_a1", Decision.CONFIRM)

    with pytest.raises(PermissionDenied):
        decide(tree, request, "secretary_a1", Decision.APPROVE)


def test_a_request_cannot_be_confirmed_twice(tree):
    request = decide(tree, make_request(tree), "secretary_a1", Decision.CONFIRM)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        decide(tree, request, "officer_a", Decision.CONFIRM)

    assert raised.value.messages == ["Only a request waiting for its cell can be confirmed."]


def test_the_commune_forwards_a_card_number_and_the_province_decides_it(tree, province_officer):
    request = make_request(tree, field="card_number", value="87654321")

    forwarded = decide(tree, request, "officer_a", Decision.FORWARD)
    approved = decide(tree, request, province_officer, Decision.APPROVE)

    assert (forwarded.state, forwarded.assigned_unit) == (RequestState.FORWARDED, tree.province)
    assert approved.state == RequestState.APPLIED
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.card_number == "87654321"


def test_the_commune_cannot_approve_a_card_number_itself(tree):
    request = make_request(tree, field="card_number", value="87654321")

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        decide(tree, request, "officer_a", Decision.APPROVE)

    assert raised.value.messages == ["This request is decided by the provincial organisation department: forward it."]


def test_the_commune_cannot_act_on_a_request_forwarded_to_the_province(tree):
    request = decide(
        tree, make_request(tree, field="joined_on", value=datetime.date(1995, 5, 19)), "officer_a", "forward"
    )

    with pytest.raises(PermissionDenied):
        decide(tree, request, "officer_a", Decision.APPROVE)


def test_an_identity_request_cannot_be_forwarded_to_the_province(tree):
    request = decide(tree, make_request(tree), "secretary_a1", Decision.CONFIRM)

    with pytest.raises(ValidationError):
        decide(tree, request, "officer_a", Decision.FORWARD)


def test_rejecting_needs_a_reason(tree):
    request = make_request(tree)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        decide(tree, request, "secretary_a1", Decision.REJECT, "  ")

    assert raised.value.message_dict == {"reason": ["Give the reason for rejecting: the member will read it."]}


def test_a_rejected_request_keeps_its_reason_and_cannot_be_decided_again(tree):
    request = decide(tree, make_request(tree), "secretary_a1", Decision.REJECT, "Không có giấy tờ")

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        decide(tree, request, "officer_a", Decision.APPROVE)

    assert (request.state, request.decision_reason) == (RequestState.REJECTED, "Không có giấy tờ")
    assert raised.value.messages == ["This request has already been decided: Rejected."]


def test_the_member_is_notified_of_each_decision_with_its_reason(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rejected = decide(tree, make_request(tree), "secretary_a1", Decision.REJECT, "Không có giấy tờ")
    with django_capture_on_commit_callbacks(execute=True):
        approved = make_request(tree, field="hometown", value="Xã Tân Lập")
        decide(tree, approved, "secretary_a1", Decision.CONFIRM)
        decide(tree, approved, "officer_a", Decision.APPROVE)

    inbox = Notification.objects.filter(user=tree.users["member_a1"]).order_by("id")
    assert [(item.title, item.body) for item in inbox] == [
        ("Yêu cầu điều chỉnh “ngày sinh” của đồng chí đã bị từ chối", "Không có giấy tờ"),
        ("Yêu cầu điều chỉnh “quê quán” của đồng chí đã được phê duyệt", ""),
    ]
    assert rejected.state == RequestState.REJECTED


def test_an_applied_request_cannot_be_rejected_afterwards(tree):
    request = decide(tree, decide(tree, make_request(tree), "secretary_a1", "confirm"), "officer_a", "approve")

    with pytest.raises(ValidationError):
        decide(tree, request, "officer_a", Decision.REJECT, "muộn")


def test_an_official_of_the_sibling_commune_cannot_decide(tree):
    request = make_request(tree, field="unit", value=tree.cell_a2)

    with pytest.raises(PermissionDenied):
        decide(tree, request, "officer_b", Decision.APPROVE)


def test_a_change_of_cell_within_the_commune_is_applied_by_the_commune(tree):
    request = decide(tree, make_request(tree, field="unit", value=tree.cell_a2), "officer_a", Decision.APPROVE)

    tree.member_a1.refresh_from_db()
    assert request.state == RequestState.APPLIED
    assert tree.member_a1.unit == tree.cell_a2


def test_approving_a_transfer_case_hands_it_over_without_moving_the_member(tree):
    request = decide(tree, make_request(tree, field="unit", value=tree.cell_b1), "officer_a", Decision.APPROVE)

    tree.member_a1.refresh_from_db()
    assert request.state == RequestState.TRANSFER
    assert tree.member_a1.unit == tree.cell_a1


def test_a_transfer_case_is_completed_by_whoever_holds_both_communes(tree, province_officer):
    request = decide(tree, make_request(tree, field="unit", value=tree.cell_b1), "officer_a", Decision.APPROVE)

    with pytest.raises(PermissionDenied):
        decide(tree, request, "officer_a", Decision.APPROVE)
    done = decide(tree, request, province_officer, Decision.APPROVE)

    tree.member_a1.refresh_from_db()
    assert done.state == RequestState.APPLIED
    assert tree.member_a1.unit == tree.cell_b1


def test_a_record_changed_after_the_request_shows_a_conflict_and_changes_nothing(tree):
    meanwhile = new_birthday(tree.member_a1, day=1)
    request = decide(tree, make_request(tree), "secretary_a1", Decision.CONFIRM)
    member_update(actor=None, member=tree.member_a1, data={"date_of_birth": meanwhile})

    result = decide(tree, request, "officer_a", Decision.APPROVE)

    tree.member_a1.refresh_from_db()
    assert result.state == RequestState.CONFLICT
    assert result.conflict_value == meanwhile.isoformat()
    assert tree.member_a1.date_of_birth == meanwhile


def test_after_a_conflict_the_official_decides_again_with_the_current_value_in_view(tree):
    expected = new_birthday(tree.member_a1)
    request = decide(tree, make_request(tree, value=expected), "secretary_a1", Decision.CONFIRM)
    member_update(actor=None, member=tree.member_a1, data={"date_of_birth": new_birthday(tree.member_a1, day=1)})
    decide(tree, request, "officer_a", Decision.APPROVE)

    result = decide(tree, request, "officer_a", Decision.APPROVE, "Vẫn đúng theo giấy khai sinh")

    tree.member_a1.refresh_from_db()
    assert result.state == RequestState.APPLIED
    assert tree.member_a1.date_of_birth == expected


def test_a_change_to_another_field_is_no_conflict(tree):
    request = decide(tree, make_request(tree), "secretary_a1", Decision.CONFIRM)
    member_update(actor=None, member=tree.member_a1, data={"hometown": "Xã Khác"})

    result = decide(tree, request, "officer_a", Decision.APPROVE)

    assert result.state == RequestState.APPLIED


def test_an_invalid_value_is_refused_when_asked(tree):
    with pytest.raises(ValidationError) as raised:
        make_request(tree, field="email", value="not-an-email")

    assert "email" in raised.value.message_dict
    assert not CorrectionRequest.objects.exists()


def test_a_request_without_a_reason_is_refused(tree):
    with pytest.raises(ValidationError) as raised:
        make_request(tree, reason=" ")

    assert "reason" in raised.value.message_dict


def test_asking_for_the_value_already_on_the_record_is_refused(tree):
    with pytest.raises(ValidationError) as raised:
        make_request(tree, value=tree.member_a1.date_of_birth)

    assert "date_of_birth" in raised.value.message_dict


def test_a_second_open_request_for_the_same_field_is_refused(tree):
    make_request(tree)

    with pytest.raises(ValidationError) as raised:
        make_request(tree, value=new_birthday(tree.member_a1, day=2))

    assert "date_of_birth" in raised.value.message_dict


def test_a_supporter_cannot_open_a_request_on_a_members_record(tree):
    # A supporter reads no record (docs/security.md, "Who sees personal data"): the member asks, on their phone.
    supporter = make_user(role=RoleKind.SUPPORTER, unit=tree.commune_a, username="supporter_a")

    with pytest.raises(PermissionDenied):
        make_request(tree, actor=supporter, field="unit", value=tree.cell_a2)


def test_a_member_cannot_open_a_request_for_another_member(tree):
    with pytest.raises(PermissionDenied):
        correction_request_create(
            actor=tree.users["member_a1"], member=tree.member_a2, changes={"hometown": "X"}, reason="x"
        )


def test_several_fields_make_one_request_each(tree):
    requests = correction_request_create(
        actor=tree.users["member_a1"],
        member=tree.member_a1,
        changes={"hometown": "Xã Tân Lập", "religion": "Phật giáo", "phone": "0987000111"},
        reason="Sai khi nhập",
    )

    states = {request.field_name: request.state for request in requests}
    assert states == {
        "hometown": RequestState.SUBMITTED,
        "religion": RequestState.SUBMITTED,
        "phone": RequestState.APPLIED,
    }


def test_a_phone_the_member_fixes_at_once_is_logged_under_the_members_own_name(tree):
    member_user = tree.users["member_a1"]

    [request] = correction_request_create(
        actor=member_user, member=tree.member_a1, changes={"phone": "0987000111"}, reason="Số mới"
    )

    assert request.state == RequestState.APPLIED
    assert (request.change_log.actor, request.change_log.postchange_data["phone"]) == (member_user, "0987000111")


def test_the_policy_does_not_let_a_member_fix_a_field_only_the_committee_decides(tree):
    [request] = correction_request_create(
        actor=tree.users["member_a1"], member=tree.member_a1, changes={"hometown": "Xã Khác"}, reason="Sai"
    )

    assert request.state == RequestState.SUBMITTED
    assert Member.objects.get(pk=tree.member_a1.pk).hometown == tree.member_a1.hometown


def test_verifying_a_section_records_the_date_and_the_record_version(tree):
    [verification] = record_verify(actor=tree.users["member_a1"], member=tree.member_a1, sections=["identity"])

    assert verification.verified_on is not None
    assert verification.member_version == tree.member_a1.version
    assert SectionVerification.objects.filter(member=tree.member_a1).count() == 1


def test_the_first_verification_counts_once_in_the_rollout_figures_up_the_tree(tree):
    member = tree.users["member_a1"]
    record_verify(actor=member, member=tree.member_a1, sections=["identity"])
    record_verify(actor=member, member=tree.member_a1, sections=["contact"])

    for unit in [*Unit.objects.get_ancestors(tree.member_a1.unit), tree.member_a1.unit]:
        assert UnitFigures.objects.get(unit=unit).verified == 1


def test_another_member_cannot_verify_my_record(tree):
    stranger = make_user(role=RoleKind.MEMBER, unit=tree.cell_b1, username="m_b1", member=tree.member_b1)

    with pytest.raises(PermissionDenied):
        record_verify(actor=stranger, member=tree.member_a1, sections=["identity"])


def test_an_overdue_request_escalates_to_the_commune_once(tree):
    request = make_request(tree)
    later = request.due_on + datetime.timedelta(days=1)

    first = correction_requests_escalate(day=later)
    second = correction_requests_escalate(day=later)

    request.refresh_from_db()
    assert (first, second) == (1, 0)
    assert (request.assigned_unit, request.escalation_count) == (tree.commune_a, 1)
    assert request.due_on > later
    assert request.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_a_request_not_yet_due_is_not_escalated(tree):
    request = make_request(tree)

    assert correction_requests_escalate(day=request.due_on) == 0


def test_after_escalation_the_secretary_can_no_longer_act_but_the_commune_can(tree):
    request = make_request(tree)
    correction_requests_escalate(day=request.due_on + datetime.timedelta(days=1))

    with pytest.raises(PermissionDenied):
        decide(tree, request, "secretary_a1", Decision.CONFIRM)
    confirmed = decide(tree, request, "officer_a", Decision.CONFIRM)

    assert confirmed.state == RequestState.CONFIRMED


def _same_cell_request(tree, member):
    return correction_request_create(
        actor=tree.users["officer_a"], member=member, changes={"unit": tree.cell_a2}, reason="Sáp nhập thôn"
    )[0]


def test_a_bulk_decision_applies_identical_requests(tree):
    from members.tests.factories import make_member

    other = make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    requests = [_same_cell_request(tree, tree.member_a1), _same_cell_request(tree, other)]

    outcome = correction_requests_decide_bulk(actor=tree.users["officer_a"], requests=requests, decision="approve")

    assert outcome == {RequestState.APPLIED: 2}


def test_a_bulk_decision_refuses_requests_that_differ(tree):
    requests = [_same_cell_request(tree, tree.member_a1), make_request(tree)]

    with pytest.raises(ValidationError):
        correction_requests_decide_bulk(actor=tree.users["officer_a"], requests=requests, decision="approve")


@pytest.mark.parametrize(
    "field,value,steps,expected",
    [
        ("hometown", "Xã Mới", [], {"confirm", "reject"}),
        ("hometown", "Xã Mới", [("secretary_a1", "confirm")], {"approve", "reject"}),
        ("card_number", "87654321", [], {"forward", "reject"}),
        ("card_number", "87654321", [("officer_a", "forward")], {"approve", "reject"}),
        ("unit", "cell_a2", [], {"approve", "reject"}),
        ("unit", "cell_a2", [("officer_a", "reject")], set()),
    ],
)
def test_the_decisions_offered_are_those_the_step_allows(tree, field, value, steps, expected):
    from corrections.services import allowed_decisions

    request = make_request(tree, field=field, value=getattr(tree, value) if field == "unit" else value)
    for user, decision in steps:
        request = decide(tree, request, user, decision, "lý do")

    assert set(allowed_decisions(request)) == expected
