import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.pagination import page_with_total, rows_and_total
from members.models import Member
from members.tests.factories import make_member


@pytest.fixture
def seven_members(tree):
    for number in range(4):
        make_member(unit=tree.cell_a1, full_name=f"Phạm Văn Hải {number}")
    return Member.objects.order_by("full_name", "id")  # the tree's three and these four


@pytest.mark.parametrize("number", [1, 2, 3, "3", 4, 99, 0, -1, "abc", None])
def test_a_page_with_its_total_is_the_page_the_paginator_gives(seven_members, number):
    expected = Paginator(seven_members, 3).get_page(number)

    page = page_with_total(seven_members, number, 3)

    assert list(page.object_list) == list(expected.object_list)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())


def test_a_page_with_rows_and_its_total_take_two_queries_the_keys_and_total_then_the_rows(seven_members):
    with CaptureQueriesContext(connection) as queries:
        rows, total = rows_and_total(seven_members, offset=3, limit=3)

    assert (rows, total) == (list(seven_members[3:6]), 7)
    assert len(queries) == 2


def test_a_row_gone_between_the_two_reads_is_left_out_of_the_page(seven_members, monkeypatch):
    # Given the keys are read, and then the first of them no longer matches the list
    gone = seven_members[3]
    original_filter = type(seven_members).filter

    def filter_after_the_keys(queryset, *args, **kwargs):
        if "pk__in" in kwargs:
            return original_filter(queryset, *args, **kwargs).exclude(pk=gone.pk)
        return original_filter(queryset, *args, **kwargs)

    monkeypatch.setattr(type(seven_members), "filter", filter_after_the_keys)

    # When the page is read
    rows, total = rows_and_total(seven_members, offset=3, limit=3)

    # Then the page holds the rows still there, in their order, and the total is the one read with the keys
    assert rows == list(seven_members[4:6])
    assert total == 7


def test_an_empty_list_has_no_page_and_a_total_of_nought(tree):
    rows, total = rows_and_total(Member.objects.none().order_by("id"), offset=0, limit=50)

    assert (rows, total) == ([], 0)


def test_the_member_search_page_counts_every_match_and_shows_the_first_page(officer_a, tree, settings):
    settings.MEMBER_LIST_PAGE_SIZE = 2
    for number in range(3):
        make_member(unit=tree.cell_a2, full_name=f"Đỗ Thị Hoa {number}")

    response = officer_a.get(reverse("members:list"), {"q": "do thi hoa"})

    page = response.context["page"]
    assert page.paginator.count == 3
    assert [member.full_name for member in page.object_list] == ["Đỗ Thị Hoa 0", "Đỗ Thị Hoa 1"]
    assert page.has_next()
