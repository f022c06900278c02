import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.tests.factories import make_user
from audit.choices import ChangeAction, ChangeSource
from audit.context import change_context
from audit.models import ChangeLog
from common.dates import today
from members.choices import IneligibilityReason, MemberStatus, Standing
from members.models import Member
from members.selectors import current_member_counts, member_as_of, member_list
from members.services import member_create, member_update
from members.tests.factories import make_member, member_data
from orgunits.models import AdminArea
from orgunits.services import unit_close
from orgunits.tests.factories import make_unit
from rollout.activation.services import account_activate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def create_errors(tree, **overrides) -> dict:
    count = Member.objects.count()
    with pytest.raises(ValidationError) as error:
        member_create(
            actor=tree.users["officer_a"], data=member_data(unit=overrides.pop("unit", tree.cell_a1), **overrides)
        )
    assert Member.objects.count() == count, "a refused record is not saved"
    return error.value.message_dict


def test_a_secretary_registers_a_member_in_their_cell_and_the_log_records_source_and_reason(tree):
    secretary = tree.users["secretary_a1"]

    with change_context(source=ChangeSource.WEB):
        member = member_create(
            actor=secretary, data=member_data(unit=tree.cell_a1, full_name="Phạm  Thị Hoa"), reason="Kết nạp"
        )

    assert member.full_name == "Phạm Thị Hoa" and member.search_name == "pham thi hoa"
    entry = ChangeLog.objects.for_object(member).get()
    assert (entry.actor, entry.source, entry.action, entry.reason) == (secretary, "web", ChangeAction.CREATE, "Kết nạp")
    assert entry.prechange_data is None and entry.postchange_data["full_name"] == "Phạm Thị Hoa"


def test_a_secretary_cannot_register_a_member_in_another_cell(tree):
    with pytest.raises(PermissionDenied):
        member_create(actor=tree.users["secretary_a1"], data=member_data(unit=tree.cell_a2))


def test_the_place_of_activity_must_be_a_cell(tree):
    errors = create_errors(tree, unit=tree.commune_a)
    assert errors["unit"] == ["The place of party activity must be a cell."]


def test_a_member_cannot_be_placed_in_a_closed_cell(tree):
    cell = make_unit(parent=tree.commune_a)
    unit_close(actor=None, unit=cell)

    with pytest.raises(ValidationError) as error:
        member_create(actor=None, data=member_data(unit=cell))
    assert "is closed" in error.value.message_dict["unit"][0]


def test_the_citizen_id_must_agree_with_sex_and_date_of_birth(tree):
    errors = create_errors(tree, sex="male", date_of_birth=datetime.date(1960, 5, 1), citizen_id="001161000001")
    assert errors["citizen_id"] == [
        "The fourth digit of the citizen ID is for a female, but the record says male.",
        "Digits 5–6 of the citizen ID (61) do not match the year of birth 1960.",
    ]


def test_two_members_cannot_share_a_card_number(tree):
    errors = create_errors(tree, card_number=tree.member_a2.card_number)
    assert errors["card_number"] == ["Another member already has this party card number."]


def test_two_members_cannot_share_a_citizen_id(tree):
    errors = create_errors(
        tree, citizen_id=tree.member_a2.citizen_id, sex=tree.member_a2.sex, date_of_birth=tree.member_a2.date_of_birth
    )
    assert errors["citizen_id"] == ["Another member already has this citizen ID."]


@pytest.mark.parametrize("card_number", ["1234567", "123456789", "1234567a"])
def test_a_card_number_has_exactly_eight_digits(tree, card_number):
    assert "A party card number has exactly 8 digits." in create_errors(tree, card_number=card_number)["card_number"]


def test_the_date_made_official_must_be_after_the_date_of_joining(tree):
    errors = create_errors(tree, joined_on=datetime.date(1990, 5, 1), official_on=datetime.date(1990, 5, 1))
    assert errors["official_on"] == ["The date made official must be after the date of joining."]


def test_a_member_must_be_eighteen_on_the_day_of_joining(tree):
    errors = create_errors(
        tree, date_of_birth=datetime.date(1980, 6, 2), joined_on=datetime.date(1998, 6, 1), official_on=None
    )
    assert errors["joined_on"] == ["A member must be at least 18 years old on the date of joining."]


def test_joining_on_the_eighteenth_birthday_is_allowed(tree):
    member = member_create(
        actor=None,
        data=member_data(
            unit=tree.cell_a1,
            date_of_birth=datetime.date(1980, 6, 2),
            joined_on=datetime.date(1998, 6, 2),
            official_on=None,
        ),
    )
    assert member.standing == Standing.PROBATIONARY


@pytest.mark.parametrize("field", ["date_of_birth", "joined_on", "official_on"])
def test_no_date_can_be_in_the_future(tree, field):
    errors = create_errors(tree, **{field: today() + datetime.timedelta(days=1)})
    assert "This date cannot be in the future." in errors[field]


def test_a_deceased_member_needs_a_date_of_death(tree):
    assert create_errors(tree, status=MemberStatus.DECEASED)["died_on"] == ["Enter the date of death."]


def test_a_member_who_left_needs_the_date_and_form_of_leaving(tree):
    errors = create_errors(tree, status=MemberStatus.LEFT)
    assert set(errors) == {"left_on", "leaving_form"}


def test_an_ineligible_member_needs_a_reason(tree):
    errors = create_errors(tree, is_eligible=False)
    assert errors["ineligibility_reason"] == ["Say why the member cannot use the app."]


def test_a_member_made_exempt_becomes_ineligible_with_reason_exempt(tree):
    member = member_update(
        actor=tree.users["officer_a"], member=tree.member_a1, data={"status": MemberStatus.EXEMPT}, reason="Tuổi cao"
    )

    assert (member.is_eligible, member.ineligibility_reason) == (False, IneligibilityReason.EXEMPT)
    assert ChangeLog.objects.for_object(member).latest("time").action == ChangeAction.STATUS


def test_an_exempt_member_stays_eligible_when_the_official_says_so(tree):
    member = member_update(actor=None, member=tree.member_a1, data={"status": MemberStatus.EXEMPT, "is_eligible": True})

    assert member.is_eligible and member.ineligibility_reason == ""


def test_an_update_without_changes_writes_no_log_row(tree):
    count = ChangeLog.objects.count()

    member_update(actor=None, member=tree.member_a1, data={"full_name": tree.member_a1.full_name})

    assert ChangeLog.objects.count() == count


def test_an_edit_made_on_a_stale_copy_is_refused_and_the_first_edit_is_kept(tree):
    stale_version = tree.member_a1.version
    member_update(actor=None, member=tree.member_a1, data={"phone": "0987654321"}, expected_version=stale_version)

    with pytest.raises(ValidationError) as error:
        member_update(actor=None, member=tree.member_a1, data={"phone": "0911111111"}, expected_version=stale_version)

    assert "Someone else changed this record" in error.value.messages[0]
    assert Member.objects.get(pk=tree.member_a1.pk).phone == "0987654321"


def test_a_refused_update_leaves_the_record_and_log_unchanged(tree):
    before = Member.objects.filter(pk=tree.member_a1.pk).values().get()
    count = ChangeLog.objects.count()

    with pytest.raises(ValidationError):
        member_update(actor=None, member=tree.member_a1, data={"card_number": "12"})

    assert Member.objects.filter(pk=tree.member_a1.pk).values().get() == before
    assert ChangeLog.objects.count() == count


def test_an_officer_cannot_move_a_member_into_a_sibling_communes_cell(tree):
    with pytest.raises(PermissionDenied):
        member_update(actor=tree.users["officer_a"], member=tree.member_a1, data={"unit": tree.cell_b1})

    assert Member.objects.get(pk=tree.member_a1.pk).unit == tree.cell_a1


def test_leaving_and_death_are_status_changes_and_the_record_stays(tree):
    member_update(
        actor=None,
        member=tree.member_a1,
        data={"status": MemberStatus.DECEASED, "died_on": datetime.date(2026, 1, 5)},
        reason="Từ trần",
    )

    member = Member.objects.get(pk=tree.member_a1.pk)
    assert member.status == MemberStatus.DECEASED and member.unit == tree.cell_a1


def test_a_member_who_has_died_cannot_be_activated(tree):
    member = make_member(unit=tree.cell_a1, status=MemberStatus.DECEASED, died_on=datetime.date(2025, 1, 1))
    user = make_user(member=member)

    with pytest.raises(ValidationError):
        account_activate(actor=None, user=user)

    user.refresh_from_db()
    assert user.activated_at is None


def test_a_current_member_can_be_activated_once(tree):
    user = tree.users["member_a1"]

    account_activate(actor=None, user=user)
    first = type(user).objects.get(pk=user.pk).activated_at
    account_activate(actor=None, user=user)

    assert first is not None and type(user).objects.get(pk=user.pk).activated_at == first


def test_the_record_can_be_read_back_as_it_stood_on_a_past_date(tree):
    member = tree.member_a1
    ChangeLog.objects.for_object(member).update(time=timezone.now() - datetime.timedelta(days=10))
    member_update(actor=None, member=member, data={"full_name": "Nguyễn Văn Ân"})

    last_week = member_as_of(member=member, day=today() - datetime.timedelta(days=7))
    now = member_as_of(member=member, day=today())
    before_registration = member_as_of(member=member, day=today() - datetime.timedelta(days=30))

    assert last_week["full_name"] == "Nguyễn Văn An"
    assert now["full_name"] == "Nguyễn Văn Ân"
    assert before_registration is None


def test_search_ignores_diacritics_and_case(tree):
    found = member_list(actor=tree.users["officer_a"], search="nguyen van an")

    assert list(found) == [tree.member_a1]


def test_search_by_card_number_prefix(tree):
    found = member_list(actor=tree.users["officer_a"], search=tree.member_a2.card_number[:6])

    assert tree.member_a2 in found


def test_search_never_reaches_outside_the_actors_subtree(tree):
    assert list(member_list(actor=tree.users["officer_b"], search="nguyen van an")) == []


def test_current_member_counts_cover_each_subtree_and_leave_out_past_members(tree):
    make_member(unit=tree.cell_ag1)
    make_member(
        unit=tree.cell_ag1, status=MemberStatus.LEFT, left_on=datetime.date(2020, 1, 1), leaving_form="resigned"
    )

    counts = current_member_counts([tree.commune_a, tree.commune_b, tree.cell_a1, tree.grassroots_a, tree.cell_a2])

    assert counts == {
        tree.commune_a.pk: 3,
        tree.commune_b.pk: 1,
        tree.cell_a1.pk: 1,
        tree.grassroots_a.pk: 1,
        tree.cell_a2.pk: 1,
    }


def _lookups_of(table: str, queries) -> list[str]:
    """The existence checks (Django's `exists()`) made on `table`."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT 1 AS") and f'FROM "{table}"' in query["sql"]
    ]


def test_an_update_that_keeps_the_cell_and_area_does_not_look_them_up_again(tree):
    member = tree.member_a2
    Member.objects.filter(pk=member.pk).update(residence_area=tree.village_a1)

    with CaptureQueriesContext(connection) as queries:
        member_update(actor=tree.users["officer_a"], member=member, data={"phone": "0912000999"})

    assert Member.objects.get(pk=member.pk).phone == "0912000999"
    assert _lookups_of("orgunits_unit", queries) == [] and _lookups_of("orgunits_adminarea", queries) == []


def test_an_update_to_another_area_still_checks_that_it_exists(tree):
    gone = AdminArea(pk=987654, code="GONE", name="Đã xoá")

    with pytest.raises(ValidationError) as raised:
        member_update(actor=tree.users["officer_a"], member=tree.member_a2, data={"residence_area": gone})

    assert "residence_area" in raised.value.message_dict
