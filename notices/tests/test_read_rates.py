"""The read rate of a notice for the issuing unit and each child unit, checked against counts by hand."""

from decimal import Decimal

import pytest

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from members.tests.factories import make_member
from notices.selectors import notice_read_rates
from notices.services import notice_read_record
from notices.tests.factories import make_notice


def member_user(unit, username):
    return make_user(username=username, member=make_member(unit=unit), role=RoleKind.MEMBER, unit=unit)


@pytest.fixture
def commune_a_people(tree):
    """Commune A: officer_a and admin_a (on the commune), cell A1: secretary_a1, member_a1 and two more,
    cell A2: three members, grassroots committee G: one member in its cell."""
    people = {name: tree.users[name] for name in ("officer_a", "admin_a", "secretary_a1", "member_a1")}
    for index in range(2):
        people[f"a1_{index}"] = member_user(tree.cell_a1, f"a1_{index}")
    for index in range(3):
        people[f"a2_{index}"] = member_user(tree.cell_a2, f"a2_{index}")
    people["ag1_0"] = member_user(tree.cell_ag1, "ag1_0")
    return people


def rates_by_code(notice) -> dict:
    return {rate.unit.code: (rate.read, rate.recipients, rate.percent) for rate in notice_read_rates(notice)}


def test_the_read_rate_counts_recipients_who_read_per_child_unit(tree, commune_a_people, django_assert_max_num_queries):
    notice = make_notice(tree)
    for name in ("member_a1", "a1_0", "a2_0", "officer_a"):
        notice_read_record(user=commune_a_people[name], notice=notice)
    # The province's viewer opens it too: an overseer, not a recipient, so not counted.
    notice_read_record(user=tree.users["province_viewer"], notice=notice)

    with django_assert_max_num_queries(3):
        rates = rates_by_code(notice)

    # By hand: 10 recipients in all (2 on the commune itself + 4 in A1 + 3 in A2 + 1 in G), 4 read.
    assert rates["XA"] == (4, 10, Decimal("40.0"))
    assert rates["XA-C1"] == (2, 4, Decimal("50.0"))
    assert rates["XA-C2"] == (1, 3, Decimal("33.3"))
    assert rates["XA-G"] == (0, 1, 0)
    assert list(rates) == ["XA", "XA-C1", "XA-C2", "XA-G"]


def test_the_read_rate_of_a_notice_for_some_roles_counts_only_those_roles(tree, commune_a_people):
    notice = make_notice(tree, roles=[RoleKind.CELL_SECRETARY])
    notice_read_record(user=commune_a_people["member_a1"], notice=notice)  # not a recipient: ignored
    notice_read_record(user=commune_a_people["secretary_a1"], notice=notice)

    rates = rates_by_code(notice)

    assert rates["XA"] == (1, 1, 100)
    assert rates["XA-C1"] == (1, 1, 100)
    assert rates["XA-C2"] == (0, 0, None)
