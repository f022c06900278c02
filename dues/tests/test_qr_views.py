"""The member's VietQR code for a month, paying into the cell's account with the reference the ledger matches."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import ChangeLog
from dues.models import CellBankAccount
from dues.services import bank_account_set

from .factories import pay, pension_of


@pytest.fixture
def account(tree):
    return bank_account_set(
        actor=tree.users["secretary_a1"],
        unit=tree.cell_a1,
        bank_bin="970436",
        account_number="0011 0044 55667",
        account_name="CHI BO THON 1",
    )


def test_the_cells_account_is_set_and_changed_with_its_log(tree, account):
    bank_account_set(
        actor=tree.users["secretary_a1"], unit=tree.cell_a1, bank_bin="970415", account_number="1", account_name="X"
    )

    assert CellBankAccount.objects.get().bank_bin == "970415"
    assert account.account_number == "0011004455667"
    assert list(
        ChangeLog.objects.filter(object_type__model="cellbankaccount").order_by("id").values_list("action", flat=True)
    ) == [
        "create",
        "update",
    ]


def test_a_bank_bin_has_six_digits(tree):
    with pytest.raises(ValidationError):
        bank_account_set(
            actor=tree.users["secretary_a1"], unit=tree.cell_a1, bank_bin="97043", account_number="1", account_name="X"
        )


def test_the_member_gets_a_code_for_what_they_owe_with_the_ledgers_reference(client, tree, account):
    pension_of(tree.member_a1)
    pay(tree.member_a1, datetime.date(2026, 11, 1), amount=10_000)
    client.force_login(tree.users["member_a1"])

    months = client.get(reverse("dues:mine")).content.decode()
    response = client.get(reverse("dues:mine_qr") + "?month=2026-11")

    assert reverse("dues:mine_qr") + "?month=2026-11" in months
    assert response.status_code == 200
    assert response.context["amount"] == 20_000
    assert response.context["reference"] == f"DP{tree.member_a1.pk}T202611"
    assert "<svg" in response.context["svg"]


def test_without_a_bank_account_the_member_is_told_to_pay_in_cash(client, tree):
    pension_of(tree.member_a1)
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("dues:mine_qr") + "?month=2026-11")

    assert response.status_code == 200
    assert "svg" not in response.context
    assert reverse("dues:mine_qr") + "?month=2026-11" not in client.get(reverse("dues:mine")).content.decode()


def test_a_month_outside_the_members_year_has_no_code(client, tree, account):
    client.force_login(tree.users["member_a1"])

    assert client.get(reverse("dues:mine_qr") + "?month=2026-13").status_code == 404
    assert client.get(reverse("dues:mine_qr") + "?month=2031-01").status_code == 404
