"""common.locks: rows named in any order are locked in primary-key order and returned by key, for update or in
share mode; a lock held across transactions keeps other sessions out until released."""

import threading

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from common.locks import held_across_transactions, locked, share_locked
from members.models import Member
from orgunits.models import Unit


def test_rows_named_in_any_order_come_back_by_key_in_key_order(tree):
    first, second = sorted([tree.cell_a1, tree.commune_a], key=lambda unit: unit.pk)

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = locked(Unit, [second.pk, first.pk, second.pk])

    assert list(rows) == [first.pk, second.pk]
    assert rows[first.pk].path == first.path
    [query] = queries.captured_queries
    assert "ORDER BY" in query["sql"]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in query["sql"]


def test_a_queryset_keeps_its_related_rows_and_a_missing_key_is_absent(tree, django_assert_num_queries):
    with transaction.atomic():
        rows = locked(Member.objects.select_related("unit"), [tree.member_a1.pk, 0])

    assert list(rows) == [tree.member_a1.pk]
    with django_assert_num_queries(0):
        assert rows[tree.member_a1.pk].unit.path == tree.cell_a1.path


def _in_another_session(sql: str, params=()):
    """Run `sql` on a connection of its own (another thread's) and return its first value, or the error."""
    outcome = []

    def run() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(sql, params)
                outcome.append(cursor.fetchone()[0])
        except DatabaseError as error:
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a lock across sessions (PostgreSQL)")
def test_a_lock_held_across_transactions_keeps_another_session_out_until_released(db):
    name = "tests.import:1"
    try_lock = "SELECT pg_try_advisory_lock(hashtext(%s)) AND pg_advisory_unlock(hashtext(%s))"

    with held_across_transactions(name):
        with transaction.atomic():
            pass
        assert _in_another_session(try_lock, [name, name]) is False
        assert _in_another_session(try_lock, ["tests.import:2", "tests.import:2"]) is True

    assert _in_another_session(try_lock, [name, name]) is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across sessions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_rows_locked_in_share_mode_may_be_shared_but_not_changed_by_another_session(tree):
    cell = tree.cell_a1
    table = connection.ops.quote_name(Unit._meta.db_table)

    with transaction.atomic():
        rows = share_locked(Unit, [cell.pk, 0])

        assert list(rows) == [cell.pk] and rows[cell.pk].path == cell.path
        shared = _in_another_session(f"SELECT id FROM {table} WHERE id = %s FOR SHARE NOWAIT", [cell.pk])
        assert shared == cell.pk
        refused = _in_another_session(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [cell.pk])
        assert isinstance(refused, OperationalError)

    assert _in_another_session(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [cell.pk]) == cell.pk
