"""A phone number signs in and activates one account: a change to a number another record or account already
has is refused with a message, in any spelling and by every way in (issue 19)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.tests.factories import make_user
from common.tests.api import api_client
from corrections.choices import Route
from corrections.models import FieldPolicy
from corrections.services import correction_request_decide
from corrections.tests.factories import make_request
from members.models import Member
from members.services import member_update
from members.tests.factories import make_member

TAKEN = "This phone number is already used by another member or account"


def international(phone: str) -> str:
    return f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"


def test_a_change_to_another_members_phone_in_any_spelling_is_refused_and_nothing_changes(tree):
    own_phone = tree.member_a1.phone

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        member_update(
            actor=tree.users["officer_a"], member=tree.member_a1, data={"phone": international(tree.member_a2.phone)}
        )

    assert TAKEN in refused.value.message_dict["phone"][0]
    assert Member.objects.get(pk=tree.member_a1.pk).phone == own_phone


def test_a_change_to_the_phone_of_an_account_is_refused(tree):
    make_user(username="officer_with_phone", phone="0987000111")

    with pytest.raises(ValidationError) as refused:
        member_update(actor=tree.users["officer_a"], member=tree.member_a1, data={"phone": "++0987000111"})

    assert "phone" in refused.value.message_dict


def test_the_members_own_account_phone_does_not_count_as_taken(tree):
    member = make_member(unit=tree.cell_a1, phone="")
    make_user(username="own_phone", phone="0987000222", member=member)

    member_update(actor=tree.users["officer_a"], member=member, data={"phone": "84987000222"})

    assert Member.objects.get(pk=member.pk).phone == "0987000222"


def test_records_that_already_share_a_phone_stay_editable_while_the_phone_is_left_as_it_is(tree):
    # Records imported before the check may share a number: other changes to them go through.
    twin = make_member(unit=tree.cell_a1, phone=tree.member_a1.phone)

    member_update(actor=tree.users["officer_a"], member=twin, data={"occupation": "Nông dân", "phone": twin.phone})

    assert Member.objects.get(pk=twin.pk).occupation == "Nông dân"


def test_a_member_asking_to_correct_their_phone_to_a_taken_number_is_refused(tree):
    own_phone = tree.member_a1.phone

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_request(tree, field="phone", value=f"+{tree.member_b1.phone}", reason="Số mới")

    assert TAKEN in refused.value.message_dict["phone"][0]
    assert Member.objects.get(pk=tree.member_a1.pk).phone == own_phone


def test_the_api_answers_a_taken_phone_with_a_message_on_the_field(tree):
    own_phone = tree.member_a1.phone

    response = api_client(tree.users["officer_a"]).patch(
        f"/api/members/{tree.member_a1.pk}",
        {"phone": "84" + tree.member_b1.phone[1:], "version": tree.member_a1.version, "reason": "Số mới"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert TAKEN in response.json()["errors"]["phone"][0]
    assert Member.objects.get(pk=tree.member_a1.pk).phone == own_phone


def test_an_account_cannot_be_created_with_a_members_phone(tree):
    with pytest.raises(ValidationError):
        make_user(username="copycat", phone=international(tree.member_a2.phone))


def test_a_free_phone_is_applied_in_its_national_spelling(tree):
    member_update(actor=tree.users["officer_a"], member=tree.member_a1, data={"phone": "+++84 987 000 333"})

    assert Member.objects.get(pk=tree.member_a1.pk).phone == "0987000333"


def test_approving_a_phone_correction_after_someone_else_took_the_number_is_refused(tree):
    # Given a phone correction routed to the commune committee, and the number taken while it waits
    FieldPolicy.objects.filter(field_name="phone").update(route=Route.COMMUNE)
    request = make_request(tree, field="phone", value="0987000444", reason="Số mới")
    member_update(actor=tree.users["officer_a"], member=tree.member_a2, data={"phone": "0987000444"})
    own_phone = Member.objects.get(pk=tree.member_a1.pk).phone

    # When the committee approves it, then it is refused and the record keeps its number
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        correction_request_decide(actor=tree.users["officer_a"], request=request, decision="approve")

    assert TAKEN in " ".join(refused.value.messages)
    assert Member.objects.get(pk=tree.member_a1.pk).phone == own_phone
