"""The change-log writer (audit/services.py): what a row records, and the bulk writers' agreement with it."""

import datetime
import decimal
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from audit.choices import ChangeAction, ChangeSource
from audit.context import change_context
from audit.models import ChangeLog
from audit.services import (
    bulk_creation_log,
    bulk_creation_log_in_database,
    change_log,
    creation_log,
    json_ready,
    snapshot,
)
from members.models import Member
from orgunits.models import Unit

# What differs between two rows written for the same record at different moments.
_ROW_IDENTITY = ("id", "time", "request_id")


def _row(entry: ChangeLog) -> dict:
    return {
        field.attname: getattr(entry, field.attname)
        for field in ChangeLog._meta.concrete_fields
        if field.name not in _ROW_IDENTITY
    }


def test_json_ready_writes_dates_decimals_and_uuids_as_text_and_leaves_plain_values_alone():
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert json_ready(datetime.date(2026, 12, 2)) == "2026-12-02"
    assert json_ready(decimal.Decimal("1.50")) == "1.50"
    assert json_ready(key) == str(key)
    assert json_ready({"on": datetime.date(2025, 7, 1), "n": [1, None]}) == {"on": "2025-07-01", "n": [1, None]}
    assert [json_ready(value) for value in ("x", 3, 1.5, True, None)] == ["x", 3, 1.5, True, None]


def test_a_snapshot_holds_every_stored_field_by_column_name_foreign_keys_as_ids_less_the_excluded(tree):
    data = snapshot(tree.cell_a1)

    assert data["name"] == tree.cell_a1.name
    assert data["area_id"] == tree.cell_a1.area_id and "area" not in data
    assert data["opened_on"] == tree.cell_a1.opened_on.isoformat()
    assert "numchild" not in data, "Unit.AUDIT_EXCLUDE leaves it out"
    assert set(data) == {field.attname for field in Unit._meta.concrete_fields} - {"numchild"}


def test_a_change_row_records_who_what_where_from_before_after_and_why(tree):
    officer = tree.users["officer_a"]
    before = snapshot(tree.cell_a1)
    after = before | {"name": "Chi bộ thôn Một"}
    request_id = uuid.uuid4()

    with change_context(source=ChangeSource.WEB, request_id=request_id, ip_address="203.0.113.9"):
        entry = change_log(
            actor=officer,
            obj=tree.cell_a1,
            action=ChangeAction.UPDATE,
            before=before,
            after=after,
            reason="Đổi tên",
            unit=tree.cell_a1,
        )

    stored = ChangeLog.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name) == (officer, officer.get_full_name() or officer.get_username())
    assert (stored.source, stored.request_id, stored.ip_address) == (ChangeSource.WEB, request_id, "203.0.113.9")
    assert (stored.action, stored.object_type, stored.object_id) == (
        ChangeAction.UPDATE,
        ContentType.objects.get_for_model(Unit),
        tree.cell_a1.pk,
    )
    assert (stored.object_repr, stored.unit, stored.reason) == (tree.cell_a1.name, tree.cell_a1, "Đổi tên")
    assert (stored.prechange_data, stored.postchange_data) == (before, after)
    assert stored.changed_fields() == [("name", tree.cell_a1.name, "Chi bộ thôn Một")]


def test_outside_any_entry_point_a_change_is_from_the_system_without_request_and_with_no_actor_named(tree):
    entry = change_log(actor=None, obj=tree.cell_a1, action=ChangeAction.UPDATE, before={}, after={})

    assert (entry.source, entry.request_id, entry.ip_address) == (ChangeSource.SYSTEM, None, None)
    assert (entry.actor, entry.actor_name, entry.reason) == (None, "", "")


def test_a_command_context_without_a_request_id_gets_one_of_its_own_shared_by_its_rows(tree):
    with change_context(source=ChangeSource.COMMAND):
        first = change_log(actor=None, obj=tree.cell_a1, action=ChangeAction.UPDATE, before={}, after={})
        second = change_log(actor=None, obj=tree.cell_a2, action=ChangeAction.UPDATE, before={}, after={})

    assert first.source == ChangeSource.COMMAND
    assert first.request_id is not None and first.request_id == second.request_id


def test_the_record_named_in_a_row_is_cut_to_300_characters(tree):
    tree.cell_a1.name = "y" * 400  # str() of a unit is its name

    entry = change_log(actor=None, obj=tree.cell_a1, action=ChangeAction.UPDATE, before={}, after={})

    assert entry.object_repr == "y" * 300


def test_a_creation_row_has_nothing_before_and_the_whole_record_after(tree):
    entry = creation_log(actor=tree.users["admin_a"], obj=tree.area_a, reason="Nhập danh mục")

    assert (entry.action, entry.prechange_data, entry.postchange_data) == (
        ChangeAction.CREATE,
        None,
        snapshot(tree.area_a),
    )
    assert entry.unit is None and entry.reason == "Nhập danh mục"


def test_bulk_creation_rows_are_the_rows_creation_log_writes_one_by_one_with_one_time_for_all(tree):
    officer = tree.users["officer_a"]
    units = [tree.cell_a1, tree.cell_a2]
    ChangeLog.objects.all().delete()

    with change_context(source=ChangeSource.IMPORT):
        bulk_creation_log(actor=officer, objects=units, reason="Nhập", unit_of=lambda unit: unit.pk)
        bulk_rows = list(ChangeLog.objects.order_by("object_id"))
        one_by_one = [creation_log(actor=officer, obj=unit, reason="Nhập", unit=unit) for unit in units]

    assert [_row(entry) for entry in bulk_rows] == [_row(entry) for entry in sorted(one_by_one, key=lambda e: e.pk)]
    assert len({entry.time for entry in bulk_rows}) == 1


def test_bulk_creation_of_nothing_writes_nothing(tree):
    count = ChangeLog.objects.count()

    bulk_creation_log(actor=None, objects=[])

    assert ChangeLog.objects.count() == count


def test_the_database_snapshot_is_refused_for_a_model_it_would_write_differently(tree):
    # ChangeLog's own time is a datetime: to_jsonb and json_ready write it differently.
    with pytest.raises(ValueError, match="ChangeLog"):
        bulk_creation_log_in_database(
            actor=None, model=ChangeLog, ids=[1], reason="", repr_column="object_repr", unit_column="unit_id"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="to_jsonb is PostgreSQL's")
def test_the_database_snapshot_writes_the_rows_bulk_creation_log_writes(tree):
    members = [tree.member_a1, tree.member_a2]
    ChangeLog.objects.all().delete()

    bulk_creation_log(actor=None, objects=members, reason="Nhập", unit_of=lambda member: member.unit_id)
    in_python = [_row(entry) for entry in ChangeLog.objects.order_by("object_id")]
    ChangeLog.objects.all().delete()
    bulk_creation_log_in_database(
        actor=None,
        model=Member,
        ids=[member.pk for member in members],
        reason="Nhập",
        repr_column="full_name",
        unit_column="unit_id",
    )
    in_database = [_row(entry) for entry in ChangeLog.objects.order_by("object_id")]

    assert in_database == in_python
