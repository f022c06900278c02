"""A member list's total: exact up to MEMBER_LIST_COUNT_CAP, "more than" past it (issue 27, central search)."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.tests.api import api_client
from members.tests.factories import make_member

LIST_URL = reverse("members:list")


def test_below_the_cap_the_list_counts_exactly_with_its_last_page(officer_a, tree):
    make_member(unit=tree.cell_a1)

    with override_settings(MEMBER_LIST_PAGE_SIZE=2, MEMBER_LIST_COUNT_CAP=3):
        response = officer_a.get(LIST_URL)

    assert "3 members found" in response.text and "Page 1 of 2" in response.text
    assert not response.context["page"].paginator.is_capped


def test_past_the_cap_the_list_says_more_than_and_still_pages(officer_a, tree):
    for _ in range(3):
        make_member(unit=tree.cell_a1)

    with override_settings(MEMBER_LIST_PAGE_SIZE=2, MEMBER_LIST_COUNT_CAP=3):
        first = officer_a.get(LIST_URL)
        second = officer_a.get(LIST_URL, {"page": "2"})

    assert "More than 3 members found" in first.text and "Page 1" in first.text and "Page 1 of" not in first.text
    assert first.context["page"].paginator.is_capped and first.context["page"].has_next()
    assert len(second.context["page"].object_list) == 2


def test_the_capped_count_asks_the_database_for_at_most_cap_plus_one_rows(officer_a, tree):
    for _ in range(3):
        make_member(unit=tree.cell_a1)

    with override_settings(MEMBER_LIST_COUNT_CAP=3), CaptureQueriesContext(connection) as queries:
        officer_a.get(LIST_URL)

    counts = [
        query["sql"]
        for query in queries.captured_queries
        if "COUNT(" in query["sql"].upper() and 'FROM "members_member"' in query["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 4" in counts[0].upper()


def test_a_search_keeps_its_exact_total_past_the_cap(officer_a, tree):
    for _ in range(3):
        make_member(unit=tree.cell_a1, full_name="Nguyễn Văn Ba")

    with override_settings(MEMBER_LIST_COUNT_CAP=1):
        response = officer_a.get(LIST_URL, {"q": "nguyen van ba"})

    assert "3 members found" in response.text


def test_the_api_says_when_its_count_is_capped(tree):
    client = api_client(tree.users["officer_a"])

    with override_settings(MEMBER_LIST_COUNT_CAP=1):
        capped = client.get("/api/members").json()
    exact = client.get("/api/members").json()

    assert (capped["count"], capped["count_is_capped"]) == (2, True)
    assert (exact["count"], exact["count_is_capped"]) == (2, False)
    assert len(capped["items"]) == len(exact["items"]) == 2
