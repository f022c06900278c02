"""The bulk path checks a new member's values without building the instance: it must say what full_clean says."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import ChangeLog
from common.dates import today
from members.choices import MemberStatus, Standing
from members.models import Member
from members.services import _build, members_bulk_create, new_member_record
from members.tests.factories import member_data


def _full_clean_errors(data: dict) -> dict:
    member = _build(data)
    try:
        member.full_clean(exclude=["unit", "residence_area"], validate_unique=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def _record_errors(data: dict) -> dict:
    try:
        new_member_record(data)
    except ValidationError as error:
        return error.message_dict
    return {}


BAD_VALUES = [
    {},
    {"card_number": "1234567"},
    {"citizen_id": "999070012345"},
    {"phone": "12345"},
    {"sex": "other"},
    {"full_name": ""},
    {"full_name": "A" * 201},
    {"date_of_birth": datetime.date(2990, 1, 1)},
    {"joined_on": datetime.date(1900, 1, 1)},
    {"standing": Standing.OFFICIAL, "official_on": None},
    {"status": MemberStatus.DECEASED},
    {"status": MemberStatus.LEFT, "left_on": datetime.date(2020, 1, 1)},
    {"is_eligible": False},
    {"political_theory": "none-such"},
    {"email": "not an email"},
    {"background_file_number": "12AB"},
    {"ethnicity": ""},
    {"card_number": "123", "phone": "9", "email": "x", "sex": "?"},
]


@pytest.mark.parametrize("overrides", BAD_VALUES)
def test_the_bulk_check_gives_the_errors_full_clean_gives(tree, overrides):
    data = member_data(unit=tree.cell_a1, **overrides)

    with translation.override("vi"):
        assert _record_errors(data) == _full_clean_errors(data)


def test_a_valid_new_record_has_the_values_the_instance_would_have(tree):
    data = member_data(unit=tree.cell_a1, full_name="  nguyễn   văn an ", phone="+84 912 345 678")

    record = new_member_record(data)
    member = _build(data)

    for field in Member._meta.concrete_fields:
        if field.attname not in ("created_at", "updated_at"):
            assert record[field.attname] == getattr(member, field.attname), field.attname


def test_a_bulk_creation_refuses_the_whole_batch_for_one_bad_row(tree):
    rows = [member_data(unit=tree.cell_a1), member_data(unit=tree.cell_a1, card_number="12")]
    before = Member.objects.count(), ChangeLog.objects.count()

    with pytest.raises(ValidationError) as raised:
        members_bulk_create(actor=None, rows=rows, reason="import")

    assert "card_number" in raised.value.message_dict
    assert (Member.objects.count(), ChangeLog.objects.count()) == before


def test_bulk_created_members_each_get_a_creation_log_row_with_the_whole_record(tree):
    created = members_bulk_create(actor=None, rows=[member_data(unit=tree.cell_a1) for _ in range(3)], reason="Sổ")

    for member in created:
        entry = ChangeLog.objects.get(object_type__model="member", object_id=member.pk, action="create")
        assert entry.reason == "Sổ" and entry.unit_id == tree.cell_a1.pk and entry.prechange_data is None
        assert entry.postchange_data["card_number"] == member.card_number
        assert entry.postchange_data["id"] == member.pk


def test_rows_checked_on_an_earlier_day_are_checked_again(tree):
    rows = [member_data(unit=tree.cell_a1, card_number="12")]

    with pytest.raises(ValidationError) as raised:
        members_bulk_create(actor=None, rows=rows, reason="import", checked_on=today() - datetime.timedelta(days=1))

    assert "card_number" in raised.value.message_dict
    assert not Member.objects.filter(card_number="12").exists()


def test_rows_checked_today_still_need_an_open_cell(tree):
    closed = tree.cell_a1
    closed.closed_on = today()
    closed.save(update_fields=["closed_on"])

    with pytest.raises(ValidationError) as raised:
        members_bulk_create(actor=None, rows=[member_data(unit=closed)], reason="import", checked_on=today())

    assert "unit" in raised.value.message_dict
