"""common.locks.locked: rows named in any order are locked in primary-key order and returned by key."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common.locks import locked
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
