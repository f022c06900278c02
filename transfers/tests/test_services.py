"""Transfers end to end through the services: each kind and route, the deadlines across holidays, the record, the
roles and the figures moving only at the receiving cell's confirmation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.tests.clock import at
from members.choices import MemberStatus
from members.tests.factories import make_member
from notifications.models import Notification
from rollout.recount import find_differences
from rollout.selectors import unit_figures
from transfers import rules, selectors
from transfers.choices import Route, Stage
from transfers.models import Transfer
from transfers.services import (
    letter_issue,
    transfer_cancel,
    transfer_receive,
    transfer_receive_from_outside,
    transfer_refuse,
    transfer_return,
    transfers_send_reminders,
)

from .factories import APPLIED_ON, MOVES_ON, apply, issued, second_province, secretary_of

pytestmark = pytest.mark.django_db(transaction=False)


def members_of(*units) -> list[int]:
    return [unit_figures(unit=unit).members for unit in units]


def test_the_deadlines_count_working_days_across_the_holidays():
    # 60 working days from Friday 4 December 2026 skip New Year's Day and three weekdays of Tết 2027.
    assert rules.issue_due(datetime.date(2026, 12, 4)) == datetime.date(2027, 3, 4)
    # 30 working days from Thursday 1 April 2027 skip Giỗ Tổ (16 April) and 30 April.
    assert rules.present_due(datetime.date(2027, 4, 1)) == datetime.date(2027, 5, 17)


def test_a_temporary_stay_is_three_months_to_under_a_year():
    start = datetime.date(2026, 11, 30)
    assert rules.temporary_stay_problem(start, datetime.date(2027, 2, 27)) != ""
    assert rules.temporary_stay_problem(start, datetime.date(2027, 2, 28)) == ""
    assert rules.temporary_stay_problem(start, datetime.date(2027, 11, 29)) == ""
    assert rules.temporary_stay_problem(start, datetime.date(2027, 11, 30)) != ""
    assert rules.temporary_stay_problem(start, None) != ""


def test_within_the_commune_the_record_moves_only_when_the_new_cell_receives_the_member(
    tree, pinned_clock, django_capture_on_commit_callbacks
):
    secretary_a2 = secretary_of(tree.cell_a2, "secretary_a2")
    before = members_of(tree.cell_a1, tree.cell_a2, tree.commune_a)

    with django_capture_on_commit_callbacks(execute=True):
        transfer = apply(tree)
    assert (transfer.route, transfer.stage, transfer.issuing_unit) == (
        Route.WITHIN_COMMUNE,
        Stage.APPLIED,
        tree.commune_a,
    )
    assert transfer.issue_due == datetime.date(2027, 3, 2)  # Wednesday 2 December + 60 working days
    assert Notification.objects.filter(user=tree.users["officer_a"], kind="transfers.applied").exists()

    pinned_clock.move_to(at(datetime.date(2027, 4, 1)))
    transfer = letter_issue(actor=tree.users["officer_a"], transfer=transfer)
    assert (transfer.letter_number, transfer.letter_year, transfer.list_position) == (1, 2027, 1)
    assert transfer.card_number == tree.member_a1.card_number
    assert transfer.present_due == datetime.date(2027, 5, 17)
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.unit == tree.cell_a1  # nothing moves at the letter
    assert members_of(tree.cell_a1, tree.cell_a2, tree.commune_a) == before

    pinned_clock.move_to(at(datetime.date(2027, 4, 20)))
    transfer = transfer_receive(actor=secretary_a2, transfer=transfer)
    tree.member_a1.refresh_from_db()
    assert transfer.stage == Stage.RECEIVED and transfer.received_on == datetime.date(2027, 4, 20)
    assert tree.member_a1.unit == tree.cell_a2
    assert (tree.member_a1.transferred_in_on, tree.member_a1.transferred_in_from) == (
        datetime.date(2027, 4, 20),
        tree.cell_a1.name,
    )
    assert members_of(tree.cell_a1, tree.cell_a2, tree.commune_a) == [before[0] - 1, before[1] + 1, before[2]]
    assert find_differences() == []
    # The plain member role follows the member to the new cell; the old one ended.
    roles = RoleAssignment.objects.filter(user=tree.users["member_a1"])
    assert set(roles.filter(ends_on__isnull=True).values_list("role", "unit")) == {(RoleKind.MEMBER, tree.cell_a2.pk)}
    assert roles.get(unit=tree.cell_a1).ends_on is not None
    # Every step is in the change log.
    logged = ChangeLog.objects.filter(object_type__model="transfer", object_id=transfer.pk)
    assert logged.count() == 3


def test_between_communes_the_sending_commune_decides_and_the_receiving_one_confirms(tree):
    before = members_of(tree.commune_a, tree.commune_b, tree.province)
    transfer = apply(tree, to_unit=tree.cell_b1)
    assert (transfer.route, transfer.issuing_unit) == (Route.BETWEEN_COMMUNES, tree.commune_a)

    with pytest.raises(Exception) as refused:
        letter_issue(actor=tree.users["officer_b"], transfer=transfer)
    assert "PermissionDenied" in type(refused.value).__name__
    transfer = letter_issue(actor=tree.users["officer_a"], transfer=transfer)
    with pytest.raises(Exception) as refused:
        transfer_receive(actor=tree.users["secretary_a1"], transfer=transfer)
    assert "PermissionDenied" in type(refused.value).__name__

    transfer_receive(actor=tree.users["officer_b"], transfer=transfer)
    assert members_of(tree.commune_a, tree.commune_b, tree.province) == [before[0] - 1, before[1] + 1, before[2]]
    assert find_differences() == []
    # Commune B's officer now sees the member; commune A's sees the transfer (its history) but no more the member.
    assert selectors.transfer_get(actor=tree.users["officer_b"], pk=transfer.pk) == transfer
    assert selectors.transfer_get(actor=tree.users["officer_a"], pk=transfer.pk) == transfer


def test_between_provinces_the_provincial_committee_issues_the_letter(tree):
    province_b, commune, cell = second_province(tree)
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")
    receiving = secretary_of(cell, "secretary_bn")
    transfer = apply(tree, to_unit=cell)
    assert (transfer.route, transfer.issuing_unit) == (Route.BETWEEN_PROVINCES, tree.province)

    with pytest.raises(Exception) as refused:
        letter_issue(actor=tree.users["officer_a"], transfer=transfer)
    assert "PermissionDenied" in type(refused.value).__name__
    transfer = letter_issue(actor=province_officer, transfer=transfer)
    transfer_receive(actor=receiving, transfer=transfer)

    assert unit_figures(unit=province_b).members == 1
    assert find_differences() == []


def test_out_of_sotay_the_transfer_ends_with_the_letter_and_the_record_is_marked_transferred_out(tree):
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")
    before = unit_figures(unit=tree.commune_a).members
    transfer = apply(tree, outside_name="Đảng bộ Quân khu 7")
    assert (transfer.route, transfer.issuing_unit) == (Route.OUT_OF_COVERAGE, tree.province)

    transfer = letter_issue(actor=province_officer, transfer=transfer)

    tree.member_a1.refresh_from_db()
    assert transfer.stage == Stage.DEPARTED and transfer.present_due is None
    assert tree.member_a1.status == MemberStatus.TRANSFERRED_OUT
    assert (tree.member_a1.transferred_out_on, tree.member_a1.transferred_out_to) == (APPLIED_ON, "Đảng bộ Quân khu 7")
    assert tree.member_a1.unit == tree.cell_a1  # kept in the cell's own register, never deleted
    assert unit_figures(unit=tree.commune_a).members == before - 1
    assert not RoleAssignment.objects.filter(user=tree.users["member_a1"], ends_on__isnull=True).exists()
    assert find_differences() == []


def test_a_temporary_transfer_keeps_the_record_at_home_until_the_member_returns(tree, pinned_clock):
    secretary_a2 = secretary_of(tree.cell_a2, "secretary_a2")
    before = members_of(tree.cell_a1, tree.cell_a2)
    transfer = issued(tree, kind="temporary", returns_on=datetime.date(2027, 6, 30))
    transfer_receive(actor=secretary_a2, transfer=transfer)

    tree.member_a1.refresh_from_db()
    assert (tree.member_a1.unit, tree.member_a1.status) == (tree.cell_a1, MemberStatus.TRANSFERRED_OUT_TEMPORARILY)
    assert members_of(tree.cell_a1, tree.cell_a2) == before  # still on the home cell's roll
    assert list(selectors.away_temporarily(actor=secretary_a2)) == [transfer]
    with pytest.raises(ValidationError):
        apply(tree, to_unit=tree.cell_b1)  # one transfer at a time, the temporary one is still under way

    with pytest.raises(Exception) as refused:
        transfer_return(actor=secretary_a2, transfer=transfer)
    assert "PermissionDenied" in type(refused.value).__name__
    pinned_clock.move_to(at(datetime.date(2027, 6, 30)))
    transfer = transfer_return(actor=tree.users["secretary_a1"], transfer=transfer)
    tree.member_a1.refresh_from_db()
    assert (transfer.stage, tree.member_a1.status) == (Stage.RETURNED, MemberStatus.ACTIVE)
    assert find_differences() == []


def test_a_temporary_transfer_needs_a_stay_of_three_months_to_under_a_year(tree):
    with pytest.raises(ValidationError) as error:
        apply(tree, kind="temporary", returns_on=MOVES_ON + datetime.timedelta(days=40))
    assert "returns_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        apply(tree, kind="temporary", returns_on=None)
    assert not Transfer.objects.exists()


def test_the_application_is_refused_with_a_clear_reason_for_bad_input(tree):
    with pytest.raises(ValidationError) as error:
        apply(tree, to_unit=tree.cell_a1)
    assert "to_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        apply(tree, to_unit=tree.commune_b)
    assert "to_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        apply(tree, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(Exception) as refused:
        apply(tree, member=tree.member_a2)  # member_a1 cannot apply for someone else
    assert "PermissionDenied" in type(refused.value).__name__
    apply(
        tree, member=tree.member_a2, actor=tree.users["officer_a"], to_unit=tree.cell_a1
    )  # the committee can, for any of its members
    assert Transfer.objects.count() == 1


def test_letters_are_numbered_in_each_committees_year(tree, pinned_clock):
    first = issued(tree)
    second = letter_issue(
        actor=tree.users["officer_a"],
        transfer=apply(tree, member=tree.member_a2, actor=tree.users["officer_a"], to_unit=tree.cell_a1),
    )
    third_member = make_member(unit=tree.cell_a1, full_name="Phạm Thị Dung")
    pinned_clock.move_to(at(datetime.date(2027, 1, 4)))
    third = letter_issue(
        actor=tree.users["officer_a"],
        transfer=apply(tree, member=third_member, actor=tree.users["officer_a"]),
    )
    assert [t.letter_reference for t in (first, second, third)] == ["1/2026", "2/2026", "1/2027"]


def test_refusing_and_cancelling_leave_the_record_as_it_was(tree, django_capture_on_commit_callbacks):
    transfer = apply(tree)
    with pytest.raises(ValidationError):
        transfer_refuse(actor=tree.users["officer_a"], transfer=transfer, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_refuse(actor=tree.users["officer_a"], transfer=transfer, reason="Chưa đủ hồ sơ")
    assert transfer.stage == Stage.REFUSED
    assert Notification.objects.filter(user=tree.users["member_a1"], kind="transfers.refused").exists()

    again = issued(tree)
    transfer_cancel(actor=tree.users["member_a1"], transfer=again, reason="Không chuyển nữa")
    again.refresh_from_db()
    tree.member_a1.refresh_from_db()
    assert again.stage == Stage.CANCELLED
    assert (tree.member_a1.unit, tree.member_a1.status) == (tree.cell_a1, MemberStatus.ACTIVE)
    with pytest.raises(ValidationError):
        transfer_receive(actor=tree.users["officer_a"], transfer=again)


def test_a_member_arriving_with_a_letter_from_outside_is_added_to_the_receiving_cell(tree):
    before = unit_figures(unit=tree.cell_a2).members
    data = {
        "full_name": "Đỗ Minh Khoa",
        "sex": "male",
        "date_of_birth": "1985-03-02",
        "citizen_id": "001085012345",
        "joined_on": "2010-05-19",
        "official_on": "2011-05-19",
        "card_number": "12345678",
    }
    transfer = transfer_receive_from_outside(
        actor=tree.users["officer_a"],
        to_unit=tree.cell_a2,
        outside_name="Đảng bộ Công an tỉnh Lào Cai",
        outside_letter="Số 27-GT/ĐU ngày 01/12/2026",
        moves_on=APPLIED_ON,
        member_data=data,
    )
    assert (transfer.route, transfer.stage) == (Route.FROM_OUTSIDE, Stage.RECEIVED)
    assert transfer.member.unit == tree.cell_a2
    assert transfer.member.transferred_in_from == "Đảng bộ Công an tỉnh Lào Cai"
    assert unit_figures(unit=tree.cell_a2).members == before + 1
    assert find_differences() == []

    with pytest.raises(ValidationError) as error:  # the same person again: already on Sổ tay
        transfer_receive_from_outside(
            actor=tree.users["officer_a"],
            to_unit=tree.cell_a1,
            outside_name="Đảng bộ Công an tỉnh Lào Cai",
            outside_letter="Số 28-GT/ĐU",
            moves_on=APPLIED_ON,
            member_data=data,
        )
    assert "citizen_id" in error.value.message_dict


def test_a_member_coming_back_into_sotay_gets_the_old_record_back_only_if_it_is_the_same_person(tree):
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")
    letter_issue(actor=province_officer, transfer=apply(tree, outside_name="Đảng bộ Quân khu 7"))
    tree.member_a1.refresh_from_db()
    same = {"full_name": "Nguyen Van An", "date_of_birth": str(tree.member_a1.date_of_birth)}
    other = {"full_name": "Nguyễn Văn Ân Hai", "date_of_birth": str(tree.member_a1.date_of_birth)}
    arrival = {
        "to_unit": tree.cell_a2,
        "outside_name": "Đảng bộ Quân khu 7",
        "outside_letter": "Số 3-GT/ĐU",
        "moves_on": APPLIED_ON,
    }

    with pytest.raises(ValidationError):
        transfer_receive_from_outside(
            actor=tree.users["officer_a"], member_data={"citizen_id": tree.member_a1.citizen_id, **other}, **arrival
        )
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.status == MemberStatus.TRANSFERRED_OUT  # not changed silently

    transfer = transfer_receive_from_outside(
        actor=tree.users["officer_a"], member_data={"citizen_id": tree.member_a1.citizen_id, **same}, **arrival
    )
    tree.member_a1.refresh_from_db()
    assert transfer.member == tree.member_a1
    assert (tree.member_a1.status, tree.member_a1.unit) == (MemberStatus.ACTIVE, tree.cell_a2)
    assert find_differences() == []


def test_the_late_list_and_the_reminders_follow_the_deadlines(tree, django_capture_on_commit_callbacks):
    def remind(day):
        with django_capture_on_commit_callbacks(execute=True):
            return transfers_send_reminders(day=day)

    waiting = apply(tree)
    letter = issued(tree, member=tree.member_a2, actor=tree.users["officer_a"], to_unit=tree.cell_b1)
    assert letter.present_due == datetime.date(2027, 1, 14)  # 30 working days, New Year's Day skipped

    day = datetime.date(2027, 1, 15)
    assert list(selectors.late(actor=tree.users["officer_a"], day=letter.present_due)) == []
    assert set(selectors.late(actor=tree.users["officer_a"], day=day)) == {letter}
    assert set(selectors.late(actor=tree.users["officer_a"], day=datetime.date(2027, 3, 3))) == {waiting, letter}
    assert list(selectors.late(actor=tree.users["member_a1"], day=datetime.date(2027, 3, 3))) == [waiting]

    assert remind(day) == 1
    late = Notification.objects.filter(kind="transfers.present_late")
    # The receiving commune (no secretary in the cell) and the issuing committee; member_a2 has no account.
    assert set(late.values_list("user__username", flat=True)) == {"officer_b", "officer_a", "admin_a"}
    assert remind(day) == 1
    assert late.count() == 3  # once per deadline, however often it runs

    assert Notification.objects.filter(kind="transfers.decision_due").count() == 0
    remind(datetime.date(2027, 2, 26))
    assert Notification.objects.filter(kind="transfers.decision_due", user=tree.users["officer_a"]).count() == 1


def test_a_paper_application_and_letter_recorded_later_count_their_deadlines_from_their_own_days(tree):
    secretary = tree.users["secretary_a1"]
    transfer = apply(tree, actor=secretary, filed_on=datetime.date(2026, 9, 1))
    assert transfer.issue_due == rules.issue_due(datetime.date(2026, 9, 1))
    assert selectors.late(actor=secretary, day=APPLIED_ON).get() == transfer  # 60 working days have passed

    with pytest.raises(ValidationError) as error:
        letter_issue(actor=tree.users["officer_a"], transfer=transfer, signed_on=datetime.date(2026, 8, 31))
    assert "signed_on" in error.value.message_dict
    transfer = letter_issue(actor=tree.users["officer_a"], transfer=transfer, signed_on=datetime.date(2026, 10, 1))
    assert (transfer.issued_on, transfer.present_due) == (
        datetime.date(2026, 10, 1),
        rules.present_due(transfer.issued_on),
    )
    with pytest.raises(ValidationError) as error:
        apply(
            tree,
            member=tree.member_a2,
            actor=tree.users["officer_a"],
            to_unit=tree.cell_a1,
            filed_on=APPLIED_ON + datetime.timedelta(days=1),
        )
    assert "filed_on" in error.value.message_dict


def test_an_exempt_member_back_from_a_temporary_stay_is_exempt_again(tree, pinned_clock):
    from members.services import member_update

    member_update(
        actor=tree.users["officer_a"], member=tree.member_a1, data={"status": MemberStatus.TEMPORARILY_EXEMPT}
    )
    transfer = transfer_receive(
        actor=tree.users["officer_a"], transfer=issued(tree, kind="temporary", returns_on=datetime.date(2027, 6, 30))
    )
    pinned_clock.move_to(at(datetime.date(2027, 6, 30)))
    transfer_return(actor=tree.users["secretary_a1"], transfer=transfer)
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.status == MemberStatus.TEMPORARILY_EXEMPT


def test_a_letter_is_not_received_for_a_member_who_has_left_since(tree):
    from members.services import member_update

    transfer = issued(tree)
    member_update(
        actor=tree.users["officer_a"],
        member=tree.member_a1,
        data={"status": MemberStatus.DECEASED, "died_on": APPLIED_ON},
    )
    with pytest.raises(ValidationError):
        transfer_receive(actor=tree.users["officer_a"], transfer=transfer)
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.unit == tree.cell_a1
