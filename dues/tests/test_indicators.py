"""Dues figures for report templates: collected in the year to the cut-off, and the three-months worklist count."""

import datetime

from common.indicators import indicator_get
from dues.services import payment_correct

from .factories import pay, pension_of
from .test_arrears import paid_all_but


def figure(key, target, as_of):
    return indicator_get(key).compute(target, as_of)


def test_dues_collected_count_payments_less_reversals_up_to_the_cut_off(tree):
    pension_of(tree.member_a1)
    pension_of(tree.member_b1)
    pay(tree.member_a1, datetime.date(2026, 10, 1), paid_on=datetime.date(2026, 10, 5))
    wrong = pay(tree.member_a1, datetime.date(2026, 11, 1), amount=300_000, paid_on=datetime.date(2026, 11, 5))
    pay(tree.member_b1, datetime.date(2026, 11, 1), paid_on=datetime.date(2026, 11, 6))
    payment_correct(actor=None, entry=wrong, reason="Ghi nhầm số tiền", amount=30_000, receipt_number="BL-2")

    assert figure("dues_collected", tree.commune_a, datetime.date(2026, 12, 2)) == 60_000
    assert figure("dues_collected", tree.province, datetime.date(2026, 12, 2)) == 90_000
    assert figure("dues_collected", tree.commune_a, datetime.date(2026, 10, 31)) == 30_000
    assert figure("dues_collected", tree.commune_a, datetime.date(2027, 12, 31)) == 0  # another year
    assert figure("dues_collected", tree.area_a, datetime.date(2026, 12, 2)) is None


def test_members_in_arrears_follow_the_three_months_rule(tree):
    pension_of(tree.member_a1)
    pension_of(tree.member_a2)
    paid_all_but(tree.member_a1, {3, 7, 9})
    paid_all_but(tree.member_a2, {3, 7})

    assert figure("dues_members_in_arrears", tree.commune_a, datetime.date(2026, 12, 2)) == 1
    assert figure("dues_members_in_arrears", tree.cell_a2, datetime.date(2026, 12, 2)) == 0
