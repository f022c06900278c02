"""Each class of field goes where the policy table says; the authorities are found up the member's cell."""

import datetime

import pytest

from common.dates import add_working_days
from common.tests import clock
from corrections.choices import Level, RequestState, Route
from corrections.models import FieldPolicy
from corrections.policy import DEFAULT_ROUTES
from corrections.tests.factories import make_request
from members.models import Member
from orgunits.selectors import commune_committee_of, escalation_unit


def test_the_seeded_policy_table_holds_the_default_route_of_every_field(db):
    stored = dict(FieldPolicy.objects.values_list("field_name", "route"))

    assert stored == {field: str(route) for field, route in DEFAULT_ROUTES.items()}


def test_every_field_of_the_policy_is_a_member_field(db):
    names = {field.name for field in Member._meta.concrete_fields}

    assert set(FieldPolicy.objects.values_list("field_name", flat=True)) <= names


def test_a_phone_correction_is_applied_at_once_and_logged_with_the_request_named(tree):
    request = make_request(tree, field="phone", value="0987654321", reason="Số mới")

    tree.member_a1.refresh_from_db()
    assert tree.member_a1.phone == "0987654321"
    assert request.state == RequestState.APPLIED
    assert f"#{request.pk}" in request.change_log.reason
    assert request.change_log.postchange_data["phone"] == "0987654321"


@pytest.mark.parametrize("field,value", [("date_of_birth", datetime.date(1970, 2, 3)), ("hometown", "Xã Tân Lập")])
def test_an_identity_correction_waits_for_the_members_cell(tree, field, value):
    request = make_request(tree, field=field, value=value)

    assert (request.route, request.level, request.assigned_unit) == (Route.CELL_THEN_COMMUNE, Level.CELL, tree.cell_a1)
    assert request.state == RequestState.SUBMITTED
    tree.member_a1.refresh_from_db()
    assert getattr(tree.member_a1, field) != value


def test_a_party_history_correction_starts_at_the_commune_committee(tree):
    request = make_request(tree, field="card_number", value="87654321")

    assert (request.route, request.level, request.assigned_unit) == (
        Route.COMMUNE_THEN_PROVINCE,
        Level.COMMUNE,
        tree.commune_a,
    )


def test_a_change_of_cell_within_the_commune_is_decided_by_the_commune_and_is_no_transfer(tree):
    request = make_request(tree, field="unit", value=tree.cell_a2)

    assert (request.level, request.assigned_unit, request.is_transfer) == (Level.COMMUNE, tree.commune_a, False)
    assert request.target_unit == tree.cell_a2


def test_a_change_of_cell_into_another_commune_becomes_a_transfer_case(tree):
    request = make_request(tree, field="unit", value=tree.cell_b1)

    assert request.is_transfer is True
    assert request.assigned_unit == tree.commune_a


def test_a_field_the_policy_does_not_list_cannot_be_requested(tree):
    FieldPolicy.objects.filter(field_name="hometown").delete()

    with pytest.raises(Exception) as raised:
        make_request(tree, field="hometown", value="Xã Mới")

    assert "hometown" in raised.value.message_dict


def test_an_administrator_changing_the_policy_changes_the_route(tree):
    FieldPolicy.objects.filter(field_name="hometown").update(route=Route.MEMBER)

    request = make_request(tree, field="hometown", value="Xã Mới")

    assert request.state == RequestState.APPLIED


def test_the_commune_committee_of_a_cell_under_a_grassroots_committee_is_the_commune(tree):
    assert commune_committee_of(tree.cell_ag1) == tree.commune_a


def test_escalation_from_a_cell_under_a_grassroots_committee_skips_to_the_commune(tree):
    assert escalation_unit(tree.cell_ag1) == tree.commune_a
    assert escalation_unit(tree.commune_a) == tree.province
    assert escalation_unit(tree.central) is None


def test_ten_working_days_from_a_friday_skip_two_weekends(db):
    friday = datetime.date(2026, 11, 20)

    assert add_working_days(friday, 10) == datetime.date(2026, 12, 4)


def test_a_request_is_due_ten_working_days_after_it_arrives(tree, time_machine):
    time_machine.move_to(clock.at(datetime.date(2026, 11, 23)))

    request = make_request(tree)

    assert request.due_on == datetime.date(2026, 12, 7)


def test_an_empty_policy_table_reads_as_the_defaults(tree):
    FieldPolicy.objects.all().delete()

    request = make_request(tree, field="card_number", value="87654321")

    assert request.route == Route.COMMUNE_THEN_PROVINCE


def test_a_phone_typed_with_the_country_code_is_stored_as_the_member_services_store_it(tree):
    request = make_request(tree, field="phone", value="+84 912 345 678")

    assert request.new_value == "0912345678"


def test_public_holidays_are_not_working_days(db):
    # Thursday 12 February 2026: Tết (16–20 February, a whole week) falls inside the ten days.
    assert add_working_days(datetime.date(2026, 2, 12), 10) == datetime.date(2026, 3, 5)
    # Wednesday 29 April 2027: 30 April and 1 May are days off.
    assert add_working_days(datetime.date(2027, 4, 29), 1) == datetime.date(2027, 5, 3)


def test_administrators_add_the_governments_days_off(db):
    from common.models import PublicHoliday

    before = add_working_days(datetime.date(2026, 11, 20), 10)
    PublicHoliday.objects.create(day=datetime.date(2026, 11, 30), name="Nghỉ bù")

    assert (before, add_working_days(datetime.date(2026, 11, 20), 10)) == (
        datetime.date(2026, 12, 4),
        datetime.date(2026, 12, 7),
    )
