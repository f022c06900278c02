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


def test_a_page_with_rows_and_its_total_take_one_query(seven_members):
    with CaptureQueriesContext(connection) as queries:
        rows, total = rows_and_total(seven_members, offset=3, limit=3)

    assert (len(rows), total) == (3, 7)
    assert len(queries) == 1


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
