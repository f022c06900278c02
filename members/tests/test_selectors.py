"""The member search's reads: what each officer finds, page and total, whichever way the database is asked."""

import importlib
import re

import pytest
from django.apps import apps as django_apps

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.pagination import capped_rows_and_total
from members.choices import MemberStatus
from members.models import Member
from members.selectors import MEMBER_LIST_ORDER, member_list, member_search_q
from members.services import member_update
from members.tests.factories import make_member
from orgunits.choices import UnitKind
from orgunits.tests.factories import make_unit


@pytest.fixture
def namesakes(tree):
    """An "Đỗ Thị Hoa" in every cell of the tree, and one in a second province."""
    second_province = make_unit(parent=tree.central, kind=UnitKind.PROVINCE_COMMITTEE, code="HP")
    second_commune = make_unit(parent=second_province, kind=UnitKind.COMMUNE_COMMITTEE, code="HP-X")
    second_cell = make_unit(parent=second_commune, code="HP-X-C1")
    cells = {
        "XA-C1": tree.cell_a1,
        "XA-C2": tree.cell_a2,
        "XA-G-C1": tree.cell_ag1,
        "XB-C1": tree.cell_b1,
        "HP-X-C1": second_cell,
    }
    return {code: make_member(unit=cell, full_name="Đỗ Thị Hoa", sex="female") for code, cell in cells.items()}


def found(actor, search: str, **filters) -> tuple[list[str], int]:
    members = member_list(actor=actor, search=search, **filters)
    rows, total = capped_rows_and_total(members, offset=0, limit=50, cap=100, order_by=MEMBER_LIST_ORDER)
    return sorted(member.unit.code for member in rows), total


def test_a_commune_officers_search_finds_the_namesakes_of_their_commune_only(tree, namesakes):
    assert found(tree.users["officer_a"], "do thi hoa") == (["XA-C1", "XA-C2", "XA-G-C1"], 3)


def test_a_sibling_communes_officer_finds_only_their_own_namesake(tree, namesakes):
    assert found(tree.users["officer_b"], "thi hoa") == (["XB-C1"], 1)


def test_a_province_officers_search_finds_the_namesakes_of_their_province_only(tree, namesakes):
    officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province)

    assert found(officer, "Đỗ Thị Hoa") == (["XA-C1", "XA-C2", "XA-G-C1", "XB-C1"], 4)


def test_a_central_officers_search_finds_every_namesake(tree, namesakes):
    officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.central)

    assert found(officer, "do thi hoa") == (["HP-X-C1", "XA-C1", "XA-C2", "XA-G-C1", "XB-C1"], 5)


def test_a_central_officer_narrowed_to_one_commune_finds_its_namesakes_only(tree, namesakes):
    officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.central)

    assert found(officer, "do thi hoa", unit=tree.commune_b) == (["XB-C1"], 1)


def test_an_account_without_a_role_finds_no_one(tree, namesakes):
    assert found(tree.users["no_role"], "do thi hoa") == ([], 0)


def test_a_digits_search_below_the_country_keeps_to_the_scope(tree, namesakes):
    # Given two members whose phones start alike, in sibling communes
    namesakes["XA-C1"].phone = "0912000001"
    namesakes["XB-C1"].phone = "0912000002"
    Member.objects.bulk_update([namesakes["XA-C1"], namesakes["XB-C1"]], ["phone"])

    assert found(tree.users["officer_a"], "0912") == (["XA-C1"], 1)
    assert found(tree.users["officer_b"], "0912 000") == (["XB-C1"], 1)


def test_the_search_keeps_the_status_filter(tree, namesakes):
    Member.objects.filter(pk=namesakes["XA-C2"].pk).update(status=MemberStatus.LEFT)

    assert found(tree.users["officer_a"], "do thi hoa", status=MemberStatus.LEFT) == (["XA-C2"], 1)


@pytest.mark.parametrize("whole_country", [True, False])
def test_both_ways_of_testing_the_name_find_the_same_members(tree, namesakes, whole_country):
    make_member(unit=tree.cell_a1, full_name="Đỗ Thị Hoài")  # contains "thi hoa" too
    make_member(unit=tree.cell_a1, full_name="Hoa Thị Đỗ")  # the same words in another order: not a match

    names = set(
        Member.objects.filter(member_search_q("thi hoa", whole_country=whole_country)).values_list(
            "full_name", flat=True
        )
    )

    assert names == {"Đỗ Thị Hoa", "Đỗ Thị Hoài"}


def test_the_words_are_matched_literally(tree, namesakes):
    make_member(unit=tree.cell_a1, full_name="Đỗ Thị Hoa_%")

    names = set(
        Member.objects.filter(member_search_q("hoa_%", whole_country=False)).values_list("full_name", flat=True)
    )

    assert names == {"Đỗ Thị Hoa_%"}


def test_below_the_country_the_name_is_not_offered_to_the_trigram_index(tree):
    """The planner chose the trigram index for the larger provinces' "thi hoa" and took 150-250 ms there
    (benchmarks/README.md, "1 and 2"); below the country the name is tested with a function instead of LIKE."""
    central = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.central)

    def condition(actor, **filters) -> str:
        return (
            str(member_list(actor=actor, search="thi hoa", **filters).query).split(" WHERE ")[1].split(" ORDER BY ")[0]
        )

    name_like = re.compile(r'"search_name"(::text)? LIKE')
    assert not name_like.search(condition(tree.users["officer_a"]))
    assert not name_like.search(condition(central, unit=tree.province))
    assert name_like.search(condition(central))


ROSTER_IN_VIETNAMESE_ORDER = [
    "Hoàng Văn An", "Phạm Thị Ánh", "Ngô Thị Ăn", "Trần Văn Ân", "Đỗ Văn Ẩn", "Lê Thị Dung", "Vũ Văn Đông",
    "Bùi Thị Yến",
]  # fmt: skip


def test_the_registry_lists_members_by_given_name_in_vietnamese_order_not_by_code_point(tree):
    cell = make_unit(parent=tree.commune_b, code="XB-C9")
    for name in reversed(ROSTER_IN_VIETNAMESE_ORDER):
        make_member(unit=cell, full_name=name)

    listed = [member.full_name for member in member_list(actor=tree.users["officer_b"], unit=cell)]
    searched = [member.full_name for member in member_list(actor=tree.users["officer_b"], unit=cell, search="n")]

    assert listed == ROSTER_IN_VIETNAMESE_ORDER
    assert searched == [name for name in ROSTER_IN_VIETNAMESE_ORDER if "n" in name.lower()]
    assert sorted(ROSTER_IN_VIETNAMESE_ORDER) != ROSTER_IN_VIETNAMESE_ORDER  # what the byte order would give


def test_a_renamed_member_moves_to_their_new_place_in_the_list(tree):
    cell = make_unit(parent=tree.commune_b, code="XB-C9")
    first, second = (make_member(unit=cell, full_name=name) for name in ("Lê Văn An", "Lê Văn Bình"))

    member_update(actor=None, member=first, data={"full_name": "Lê Văn Đức"}, reason="Sai tên")

    assert list(member_list(actor=tree.users["officer_b"], unit=cell)) == [second, first]


def test_the_migration_fills_the_sort_key_of_members_written_before_it(tree):
    migration = importlib.import_module("members.migrations.0012_member_sort_name")
    cell = make_unit(parent=tree.commune_b, code="XB-C9")
    for name in ROSTER_IN_VIETNAMESE_ORDER:
        make_member(unit=cell, full_name=name)
    Member.objects.update(sort_name="")

    migration.fill_sort_names(django_apps, None)

    assert [member.full_name for member in Member.objects.filter(unit=cell)] == ROSTER_IN_VIETNAMESE_ORDER
    assert not Member.objects.filter(sort_name="").exists()
