"""The three-months rule: members with three or more months of one year not paid in full, for the committee."""

import datetime

from dues import selectors
from dues.services import arrears_reason_record, exemption_record
from members.tests.factories import make_member

from .factories import pay, pension_of


def months(*numbers, year=2026):
    return [datetime.date(year, number, 1) for number in numbers]


def paid_all_but(member, unpaid: set[int], *, up_to: int = 11) -> None:
    for month in range(2, up_to + 1):
        if month not in unpaid:
            pay(member, datetime.date(2026, month, 1))


def test_three_unpaid_months_put_a_member_on_the_worklist_two_do_not(tree):
    pension_of(tree.member_a1)
    pension_of(tree.member_a2)
    paid_all_but(tree.member_a1, {3, 7, 9})
    paid_all_but(tree.member_a2, {3, 7})

    rows = selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2026, 12, 2))

    assert [(row.member, row.unpaid_months) for row in rows] == [(tree.member_a1, tuple(months(3, 7, 9)))]
    assert rows[0].owing == 90_000


def test_the_current_month_does_not_count_until_it_is_over(tree):
    pension_of(tree.member_a1)
    paid_all_but(tree.member_a1, {10, 11})

    assert selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2026, 12, 2)) == []
    (row,) = selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2027, 1, 2))
    assert row.unpaid_months == tuple(months(10, 11, 12))


def test_months_on_either_side_of_new_year_do_not_add_up(tree):
    pension_of(tree.member_a1)
    paid_all_but(tree.member_a1, {11, 12}, up_to=12)
    today = datetime.date(2027, 2, 15)  # January 2027 is over and unpaid too

    assert selectors.arrears(unit=tree.commune_a, year=2026, today=today) == []
    assert selectors.arrears(unit=tree.commune_a, year=2027, today=today) == []
    january = selectors.member_year(member=tree.member_a1, year=2027, today=today)[0]
    assert january.is_unpaid


def test_a_part_payment_leaves_the_month_owing(tree):
    pension_of(tree.member_a1)
    paid_all_but(tree.member_a1, {4, 5, 6})
    for month in (4, 5, 6):
        pay(tree.member_a1, datetime.date(2026, month, 1), amount=10_000)

    (row,) = selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2026, 12, 2))

    assert row.owing == 3 * 20_000


def test_exempt_months_are_not_owed(tree):
    pension_of(tree.member_a1)
    paid_all_but(tree.member_a1, {3, 4, 5})
    exemption_record(actor=None, member=tree.member_a1, ground="serious_illness", starts_on=datetime.date(2026, 3, 1))

    assert selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2026, 12, 2)) == []


def test_the_worklist_shows_the_recorded_reason_and_stays_inside_the_subtree(tree):
    pension_of(tree.member_a1)
    paid_all_but(tree.member_a1, {2, 3, 4})
    pension_of(tree.member_b1)
    arrears_reason_record(actor=None, member=tree.member_a1, year=2026, reason="Ốm dài ngày, gia đình báo")

    rows = selectors.arrears(unit=tree.commune_a, year=2026, today=datetime.date(2026, 12, 2))

    assert [(row.member, row.reason) for row in rows] == [(tree.member_a1, "Ốm dài ngày, gia đình báo")]


def test_a_member_who_joined_in_the_year_owes_only_from_joining(tree):
    newcomer = make_member(
        unit=tree.cell_a1, joined_on=datetime.date(2026, 9, 19), official_on=None, standing="probationary"
    )
    pension_of(newcomer)

    lines = selectors.member_year(member=newcomer, year=2026, today=datetime.date(2026, 12, 2))

    assert [line.month.month for line in lines] == [9, 10, 11, 12]
    assert [
        row.member for row in selectors.arrears(unit=tree.cell_a1, year=2026, today=datetime.date(2026, 12, 2))
    ] == [newcomer]


def test_what_each_level_passes_upward_is_its_share_of_the_subtrees_collection(tree):
    pension_of(tree.member_a1)
    pension_of(tree.member_a2)
    pay(tree.member_a1, datetime.date(2026, 10, 1))
    pay(tree.member_a2, datetime.date(2026, 11, 1), amount=45_001)

    total, children = selectors.collection(
        unit=tree.commune_a, year=2026, children=[tree.cell_a1, tree.cell_a2, tree.grassroots_a]
    )

    assert (total.total, total.upward) == (75_001, 7_500)  # 10 % of 75,001, rounded half up
    assert total.by_month[9:11] == [30_000, 45_001]
    assert [(row.unit, row.total, row.upward) for row in children] == [
        (tree.cell_a1, 30_000, 21_000),
        (tree.cell_a2, 45_001, 31_501),  # 70 % of 45,001 = 31,500.7
        (tree.grassroots_a, 0, 0),
    ]
