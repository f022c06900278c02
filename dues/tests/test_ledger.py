"""A cell's monthly ledger: payments recorded in bulk, corrections kept as history, the member's own months."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import ChangeLog
from dues import selectors
from dues.choices import MonthState
from dues.models import LedgerEntry
from dues.services import PaymentLine, payment_correct, payments_record
from members.tests.factories import make_member

from .factories import pay, pension_of

NOVEMBER = datetime.date(2026, 11, 1)
PAID_ON = datetime.date(2026, 11, 20)


def test_a_meetings_payments_are_recorded_together_each_with_its_receipt_and_log(tree):
    second = make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    pension_of(tree.member_a1)

    entries = payments_record(
        actor=tree.users["secretary_a1"],
        unit=tree.cell_a1,
        month=NOVEMBER,
        method="cash",
        paid_on=PAID_ON,
        lines=[
            PaymentLine(member=tree.member_a1, amount=30_000, receipt_number="BL-11"),
            PaymentLine(member=second, amount="5000", receipt_number="BL-12"),
        ],
    )

    assert [(entry.amount, entry.receipt_number) for entry in entries] == [
        (Decimal(30_000), "BL-11"),
        (Decimal(5_000), "BL-12"),
    ]
    logged = ChangeLog.objects.filter(object_type__model="ledgerentry", action="create")
    assert sorted(logged.values_list("object_id", flat=True)) == [entry.pk for entry in entries]


def test_nothing_is_written_when_one_line_of_the_batch_is_wrong(tree):
    with pytest.raises(ValidationError):
        payments_record(
            actor=tree.users["secretary_a1"],
            unit=tree.cell_a1,
            month=NOVEMBER,
            method="cash",
            paid_on=PAID_ON,
            lines=[
                PaymentLine(member=tree.member_a1, amount=30_000, receipt_number="BL-11"),
                PaymentLine(member=tree.member_a2, amount=30_000, receipt_number="BL-12"),  # another cell's member
            ],
        )

    assert not LedgerEntry.objects.exists()


def test_cash_needs_a_receipt_number_and_a_transfer_its_reference(tree):
    for method in ("cash", "bank_transfer"):
        with pytest.raises(ValidationError):
            payments_record(
                actor=tree.users["secretary_a1"],
                unit=tree.cell_a1,
                month=NOVEMBER,
                method=method,
                paid_on=PAID_ON,
                lines=[PaymentLine(member=tree.member_a1, amount=30_000)],
            )


def test_a_secretary_of_another_cell_cannot_record(tree):
    with pytest.raises(PermissionDenied):
        pay(tree.member_a1, NOVEMBER, actor=tree.users["officer_b"])


def test_a_correction_reverses_the_wrong_entry_and_records_the_right_one_keeping_both(tree):
    pension_of(tree.member_a1)
    wrong = pay(tree.member_a1, NOVEMBER, amount=300_000)

    reversal, replacement = payment_correct(
        actor=tree.users["secretary_a1"], entry=wrong, reason="Ghi thừa một số 0", amount=30_000, receipt_number="BL-1"
    )

    wrong.refresh_from_db()
    assert wrong.amount == Decimal(300_000)  # never edited
    assert (reversal.kind, reversal.amount, reversal.reverses_id) == ("reversal", Decimal(-300_000), wrong.pk)
    assert (replacement.amount, replacement.replaces_id) == (Decimal(30_000), wrong.pk)
    assert LedgerEntry.objects.count() == 3
    (line,) = [row.line for row in selectors.cell_ledger(unit=tree.cell_a1, month=NOVEMBER)]
    assert (line.paid, line.state) == (Decimal(30_000), MonthState.PAID)
    assert ChangeLog.objects.filter(object_id=reversal.pk, reason="Ghi thừa một số 0").exists()


def test_a_payment_corrected_once_cannot_be_reversed_again(tree):
    entry = pay(tree.member_a1, NOVEMBER)
    payment_correct(actor=tree.users["secretary_a1"], entry=entry, reason="Không nộp")

    with pytest.raises(ValidationError):
        payment_correct(actor=tree.users["secretary_a1"], entry=entry, reason="Lần nữa")

    assert LedgerEntry.objects.count() == 2


def test_a_correction_needs_a_reason(tree):
    entry = pay(tree.member_a1, NOVEMBER)

    with pytest.raises(ValidationError):
        payment_correct(actor=tree.users["secretary_a1"], entry=entry, reason=" ")

    assert LedgerEntry.objects.count() == 1


def test_the_cells_month_lists_each_paying_member_with_due_paid_and_state(tree, django_assert_max_num_queries):
    second = make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    make_member(unit=tree.cell_a1, full_name="Đỗ Thị Hoa", status="deceased", died_on=datetime.date(2026, 5, 1))
    pension_of(tree.member_a1)
    pension_of(second)
    pay(tree.member_a1, NOVEMBER)
    pay(second, NOVEMBER, amount=10_000)

    with django_assert_max_num_queries(7):
        rows = selectors.cell_ledger(unit=tree.cell_a1, month=NOVEMBER)

    assert {row.member.full_name: (row.line.due, row.line.paid, row.line.state) for row in rows} == {
        "Nguyễn Văn An": (Decimal(30_000), Decimal(30_000), MonthState.PAID),
        "Phạm Văn Dũng": (Decimal(30_000), Decimal(10_000), MonthState.PART_PAID),
    }


def test_the_member_sees_each_month_of_the_year_paid_or_owing(tree):
    pension_of(tree.member_a1)
    for month in (2, 3, 4):
        pay(tree.member_a1, datetime.date(2026, month, 1))

    lines = selectors.member_year(member=tree.member_a1, year=2026, today=datetime.date(2026, 12, 2))

    assert [line.month.month for line in lines] == list(range(1, 13))
    assert (lines[0].due, lines[0].state) == (None, MonthState.NOT_RECKONED)  # before 01-QĐ/TW took effect
    assert [line.state for line in lines[1:4]] == [MonthState.PAID] * 3
    assert sum(line.owing for line in lines) == Decimal(8 * 30_000)
