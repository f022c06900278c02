"""A member list's total: exact up to MEMBER_LIST_COUNT_CAP, "more than" past it, searched or not (issue 27,
central search); past the cap only the pages of the first cap members are offered."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.collation import person_name_collation_key
from common.tests.api import api_client
from common.text import fold_for_search
from members.models import Member
from members.selectors import member_list
from members.tests.factories import make_member

LIST_URL = reverse("members:list")
# officer_a's commune holds the tree's Nguyễn Văn An and Trần Thị Bình; pages of two, a cap of four.
SMALL = override_settings(MEMBER_LIST_PAGE_SIZE=2, MEMBER_LIST_COUNT_CAP=4)


def add_namesakes(tree, count: int) -> None:
    for _ in range(count):
        make_member(unit=tree.cell_a1, full_name="Đỗ Thị Hoa", sex="female")


def member_queries(queries) -> list[str]:
    """The queries that read members, the planner's estimate (PostgreSQL's EXPLAIN: no row read) left out."""
    return [sql for sql in sql_of(queries) if '"members_member"' in sql and not sql.startswith("EXPLAIN")]


def sql_of(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


@SMALL
def test_below_the_cap_the_list_counts_exactly_with_its_last_page(officer_a, tree):
    add_namesakes(tree, 1)

    response = officer_a.get(LIST_URL)

    assert "3 members found" in response.text and "Page 1 of 2" in response.text
    assert not response.context["page"].paginator.is_capped


@SMALL
def test_at_the_cap_the_list_still_counts_exactly_and_its_last_page_has_no_next(officer_a, tree):
    add_namesakes(tree, 2)

    first = officer_a.get(LIST_URL)
    last = officer_a.get(LIST_URL, {"page": "2"})

    assert "4 members found" in first.text and "Page 1 of 2" in first.text
    assert (first.context["page"].has_previous(), first.context["page"].has_next()) == (False, True)
    assert "Page 2 of 2" in last.text and "The pages stop" not in last.text
    assert (last.context["page"].has_previous(), last.context["page"].has_next()) == (True, False)


@SMALL
def test_past_the_cap_the_list_says_more_than_and_pages_through_the_first_cap_members(officer_a, tree):
    add_namesakes(tree, 3)

    first = officer_a.get(LIST_URL)
    last = officer_a.get(LIST_URL, {"page": "2"})
    beyond = officer_a.get(LIST_URL, {"page": "3"})

    assert "More than 4 members found" in first.text and "Page 1" in first.text and "Page 1 of" not in first.text
    assert first.context["page"].paginator.is_capped
    assert (first.context["page"].has_previous(), first.context["page"].has_next()) == (False, True)
    assert (last.context["page"].has_previous(), last.context["page"].has_next()) == (True, False)
    assert len(last.context["page"].object_list) == 2
    assert "The pages stop at the first 4: narrow the list to reach the others." in last.text
    assert beyond.context["page"].number == 2


@SMALL
def test_a_search_at_the_cap_counts_exactly(officer_a, tree):
    add_namesakes(tree, 4)

    response = officer_a.get(LIST_URL, {"q": "do thi hoa"})

    assert "4 members found" in response.text and "Page 1 of 2" in response.text


@SMALL
def test_a_search_past_the_cap_says_more_than(officer_a, tree):
    add_namesakes(tree, 5)

    response = officer_a.get(LIST_URL, {"q": "do thi hoa"})

    assert "More than 4 members found" in response.text and "Page 1 of" not in response.text
    assert response.context["page"].has_next()


@SMALL
def test_the_countrys_search_past_the_cap_pages_its_first_members_in_name_order(client, tree):
    # Given namesakes across two communes, more of them than the cap, seen by a central officer
    make_member(unit=tree.cell_b1, full_name="Vũ Thị Hoa A", sex="female")
    make_member(unit=tree.cell_a2, full_name="Vũ Thị Hoa B", sex="female")
    make_member(unit=tree.cell_b1, full_name="Vũ Thị Hoa C", sex="female")
    make_member(unit=tree.cell_a1, full_name="Vũ Thị Hoa D", sex="female")
    make_member(unit=tree.cell_b1, full_name="Vũ Thị Hoa E", sex="female")
    client.force_login(make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.central))

    # When they search and turn to the last page offered
    first = client.get(LIST_URL, {"q": "vu thi hoa"})
    last = client.get(LIST_URL, {"q": "vu thi hoa", "page": "2"})

    # Then the pages hold the first four by name, and the total is "more than four"
    assert first.context["page"].paginator.is_capped
    assert [member.full_name for member in first.context["page"]] == ["Vũ Thị Hoa A", "Vũ Thị Hoa B"]
    assert [member.full_name for member in last.context["page"]] == ["Vũ Thị Hoa C", "Vũ Thị Hoa D"]


def test_a_search_below_the_country_reads_its_page_and_total_in_one_sort_past_the_cap_too(officer_a, tree):
    add_namesakes(tree, 2)
    officer_a.get(LIST_URL)  # what a first request reads once (the session's roles) is kept

    with override_settings(MEMBER_LIST_COUNT_CAP=1), CaptureQueriesContext(connection) as past_cap:
        response = officer_a.get(LIST_URL, {"q": "do thi hoa"})

    assert response.context["page"].paginator.is_capped
    assert len(member_queries(past_cap)) == 2 and "OVER ()" in member_queries(past_cap)[0].upper()


@pytest.mark.parametrize("search", ["", "do thi hoa"])
def test_the_countrys_list_reads_members_in_two_queries_at_the_cap_and_three_past_it(client, tree, search):
    add_namesakes(tree, 2)  # five in the country, two of them namesakes
    client.force_login(make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.central))
    client.get(LIST_URL)  # what a first request reads once (the session's roles) is kept

    with override_settings(MEMBER_LIST_COUNT_CAP=5), CaptureQueriesContext(connection) as at_cap:
        client.get(LIST_URL, {"q": search})
    with override_settings(MEMBER_LIST_COUNT_CAP=1), CaptureQueriesContext(connection) as past_cap:
        client.get(LIST_URL, {"q": search})

    assert len(member_queries(at_cap)) == 2 and len(member_queries(past_cap)) == 3
    assert len(past_cap.captured_queries) == len(at_cap.captured_queries) + 1
    assert "LIMIT 6" in member_queries(at_cap)[0].upper() and "LIMIT 2" in member_queries(past_cap)[0].upper()


def test_the_api_says_when_its_count_is_capped(tree):
    client = api_client(tree.users["officer_a"])

    with override_settings(MEMBER_LIST_COUNT_CAP=1):
        capped = client.get("/api/members").json()
    with override_settings(MEMBER_LIST_COUNT_CAP=2):
        exact = client.get("/api/members").json()

    assert (capped["count"], capped["count_is_capped"]) == (2, True)
    assert (exact["count"], exact["count_is_capped"]) == (2, False)
    assert [item["full_name"] for item in capped["items"]] == ["Nguyễn Văn An"]  # the first cap members only
    assert [item["full_name"] for item in exact["items"]] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_the_api_caps_a_searchs_count_and_lists_nothing_from_the_cap_on(tree):
    add_namesakes(tree, 3)
    client = api_client(tree.users["officer_a"])

    with override_settings(MEMBER_LIST_COUNT_CAP=2):
        first = client.get("/api/members", {"search": "do thi hoa", "limit": 5}).json()
        beyond = client.get("/api/members", {"search": "do thi hoa", "offset": 2}).json()
    exact = client.get("/api/members", {"search": "do thi hoa"}).json()

    assert (first["count"], first["count_is_capped"], len(first["items"])) == (3, True, 2)
    assert (beyond["count"], beyond["count_is_capped"], beyond["items"]) == (3, True, [])
    assert (exact["count"], exact["count_is_capped"], len(exact["items"])) == (3, False, 3)


def add_many(tree, count: int) -> None:
    """`count` members of officer_a's commune, written at once (the services would take seconds), and the tables
    analysed, so that the planner's estimate of officer_a's list is about their number."""
    names = [f"Lê Văn Nam {number:03d}" for number in range(count)]
    Member.objects.bulk_create(
        Member(
            unit=tree.cell_a1,
            full_name=name,
            search_name=fold_for_search(name),
            sort_name=person_name_collation_key(name),
            sex="male",
            date_of_birth=datetime.date(1980, 1, 1),
            joined_on=datetime.date(2005, 5, 19),
        )
        for name in names
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
        cursor.execute("ANALYZE orgunits_unit")


ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")


@ON_POSTGRESQL
def test_a_list_the_planner_estimates_past_the_threshold_says_more_than_without_counting(officer_a, tree):
    # Given a commune of 302 members, by the planner's estimate well past a threshold of 100 (and a cap of 10)
    add_many(tree, 300)
    officer_a.get(LIST_URL)  # what a first request reads once (the session's roles) is kept

    # When the officer lists them
    settings = override_settings(MEMBER_LIST_COUNT_CAP=10, MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE=100)
    with settings, CaptureQueriesContext(connection) as queries:
        response = officer_a.get(LIST_URL)

    # Then the list says "more than 10" on the estimate's word: the estimate, the page's keys in name order and its
    # rows are read, and nothing counted
    assert "More than 10 members found" in response.text and response.context["page"].paginator.is_capped
    assert len([sql for sql in sql_of(queries) if sql.startswith("EXPLAIN")]) == 1
    assert len(member_queries(queries)) == 2
    assert not any("COUNT(" in sql.upper() for sql in member_queries(queries))
    assert list(response.context["page"]) == list(member_list(actor=tree.users["officer_a"])[:10])


@ON_POSTGRESQL
def test_a_list_the_planner_estimates_below_the_threshold_is_counted_exactly(officer_a, tree):
    # Given the same commune, with a threshold above its estimate and a cap above its size
    add_many(tree, 300)

    # When the officer lists them
    with override_settings(MEMBER_LIST_COUNT_CAP=400, MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE=1_000):
        response = officer_a.get(LIST_URL)

    # Then the list is counted, exactly
    assert "302 members found" in response.text and not response.context["page"].paginator.is_capped


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite gives no estimate")
def test_without_an_estimate_the_list_is_always_counted(officer_a, tree):
    add_namesakes(tree, 1)

    with override_settings(MEMBER_LIST_COUNT_CAP=4, MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE=0):
        response = officer_a.get(LIST_URL)

    assert "3 members found" in response.text and not response.context["page"].paginator.is_capped
