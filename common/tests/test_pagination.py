import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import pagination
from common.pagination import CappedPaginator, capped_page, capped_rows_and_total
from members.models import Member
from members.tests.factories import make_member

ORDER = ("full_name", "id")


@pytest.fixture
def seven_members(tree):
    for number in range(4):
        make_member(unit=tree.cell_a1, full_name=f"Phạm Văn Hải {number}")
    return Member.objects.order_by(*ORDER)  # the tree's three and these four


@pytest.mark.parametrize("number", [1, 2, 3, "3", 4, 99, 0, -1, "abc", None])
def test_below_the_cap_a_capped_page_is_the_page_the_paginator_gives(seven_members, number):
    expected = Paginator(seven_members, 3).get_page(number)

    page = capped_page(seven_members, number, 3, cap=7, order_by=ORDER)

    assert list(page.object_list) == list(expected.object_list)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())
    assert not page.paginator.is_capped


@pytest.mark.parametrize(
    ("number", "shown", "rows"),
    [(1, 1, [0, 1]), (2, 2, [2, 3]), (3, 3, [4]), (4, 3, [4]), ("abc", 1, [0, 1]), (0, 3, [4]), (-1, 3, [4])],
)
def test_past_the_cap_a_page_offers_the_rows_up_to_the_cap_only(seven_members, number, shown, rows):
    everyone = list(seven_members.all())

    page = capped_page(seven_members, number, 2, cap=5, order_by=ORDER)

    assert page.paginator.is_capped and page.paginator.count == 6
    assert (page.number, page.paginator.num_pages) == (shown, 3)
    assert list(page.object_list) == [everyone[index] for index in rows]
    assert page.has_next() == (shown < 3) and page.has_previous() == (shown > 1)


def test_a_capped_paginator_told_its_count_ends_its_last_page_at_the_cap(seven_members):
    everyone = list(seven_members.all())

    page = CappedPaginator(seven_members, 2, cap=5, count=6).page(3)

    assert list(page.object_list) == everyone[4:5]


def test_rows_and_total_below_the_cap_take_two_queries_the_keys_and_total_then_the_rows(seven_members):
    with CaptureQueriesContext(connection) as queries:
        rows, total = capped_rows_and_total(seven_members, offset=3, limit=3, cap=7, order_by=ORDER)

    assert (rows, total) == (list(seven_members[3:6]), 7)
    assert len(queries) == 2


def test_the_first_query_asks_the_database_for_at_most_cap_plus_one_rows(seven_members):
    with CaptureQueriesContext(connection) as queries:
        capped_rows_and_total(seven_members, offset=0, limit=3, cap=4, order_by=ORDER)

    assert "LIMIT 5" in queries[0]["sql"].upper()


def test_past_the_cap_the_slice_is_read_in_the_lists_own_order_in_a_third_query(seven_members):
    with CaptureQueriesContext(connection) as queries:
        rows, total = capped_rows_and_total(seven_members, offset=2, limit=3, cap=4, order_by=ORDER)

    assert (rows, total) == (list(seven_members[2:4]), 5)  # the rows up to the cap only
    assert len(queries) == 3


def test_past_the_cap_an_offset_at_the_cap_gives_no_row(seven_members):
    rows, total = capped_rows_and_total(seven_members, offset=4, limit=3, cap=4, order_by=ORDER)

    assert (rows, total) == ([], 5)


def test_a_descending_order_is_kept(seven_members):
    rows, _total = capped_rows_and_total(seven_members, offset=0, limit=2, cap=10, order_by=("-full_name", "-id"))

    assert rows == list(Member.objects.order_by("-full_name", "-id")[:2])


def test_a_slice_past_the_end_still_has_its_total(seven_members):
    rows, total = capped_rows_and_total(seven_members, offset=20, limit=3, cap=10, order_by=ORDER)

    assert (rows, total) == ([], 7)


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
    rows, total = capped_rows_and_total(seven_members, offset=3, limit=3, cap=10, order_by=ORDER)

    # Then the page holds the rows still there, in their order, and the total is the one read with the keys
    assert rows == list(seven_members[4:6])
    assert total == 7


def test_an_empty_list_has_no_page_and_a_total_of_nought(tree):
    rows, total = capped_rows_and_total(Member.objects.none(), offset=0, limit=50, cap=10, order_by=ORDER)

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


def test_a_list_that_sorts_every_row_reads_its_keys_and_capped_total_in_one_query(seven_members):
    with CaptureQueriesContext(connection) as queries:
        below = capped_rows_and_total(seven_members, offset=3, limit=3, cap=7, order_by=ORDER, sorts_every_row=True)
        past = capped_rows_and_total(seven_members, offset=2, limit=3, cap=4, order_by=ORDER, sorts_every_row=True)

    assert below == (list(seven_members[3:6]), 7)
    assert past == (list(seven_members[2:4]), 5)  # the rows up to the cap only, the total capped
    assert len(queries) == 4


def test_a_list_that_sorts_every_row_gives_no_row_from_the_cap_on(seven_members):
    rows, total = capped_rows_and_total(seven_members, offset=4, limit=3, cap=4, order_by=ORDER, sorts_every_row=True)

    assert (rows, total) == ([], 5)


@pytest.fixture
def estimated_far_too_high(monkeypatch):
    """The planner estimates a billion rows, whatever the list (an estimate wrong many times over)."""
    monkeypatch.setattr(pagination, "estimated_count", lambda queryset: 1_000_000_000)


def test_past_the_estimate_a_full_page_is_read_in_order_and_the_total_said_capped(
    seven_members, estimated_far_too_high
):
    with CaptureQueriesContext(connection) as queries:
        page = capped_page(seven_members, 2, 2, cap=5, order_by=ORDER, estimate_trusted_above=100)

    assert list(page.object_list) == list(seven_members[2:4])
    assert page.paginator.is_capped and page.has_next()
    assert len(queries) == 2 and "COUNT(" not in " ".join(query["sql"].upper() for query in queries)


@pytest.mark.parametrize(("number", "per_page", "rows"), [(1, 10, 7), (3, 3, 1)])
def test_a_short_page_past_a_wrong_estimate_gives_the_exact_total(
    seven_members, estimated_far_too_high, number, per_page, rows
):
    page = capped_page(seven_members, number, per_page, cap=100, order_by=ORDER, estimate_trusted_above=100)

    assert len(page.object_list) == rows
    assert (page.paginator.count, page.paginator.is_capped, page.has_next()) == (7, False, False)


def test_an_empty_page_past_a_wrong_estimate_falls_back_to_the_last_page_counted(seven_members, estimated_far_too_high):
    page = capped_page(seven_members, 5, 3, cap=100, order_by=ORDER, estimate_trusted_above=100)

    assert (page.number, list(page.object_list)) == (3, list(seven_members[6:]))
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.is_capped) == (7, 3, False)


def test_a_page_past_those_offered_past_the_estimate_falls_back_to_the_last_offered(
    seven_members, estimated_far_too_high
):
    page = capped_page(seven_members, 9, 2, cap=5, order_by=ORDER, estimate_trusted_above=100)

    assert (page.number, list(page.object_list)) == (3, list(seven_members[4:5]))
    assert page.paginator.is_capped


def test_an_estimate_below_the_threshold_is_not_trusted(seven_members, monkeypatch):
    monkeypatch.setattr(pagination, "estimated_count", lambda queryset: 100)

    rows, total = capped_rows_and_total(
        seven_members, offset=0, limit=3, cap=100, order_by=ORDER, estimate_trusted_above=100
    )

    assert (len(rows), total) == (3, 7)
