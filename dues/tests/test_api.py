"""Dues over the API: money as exact decimal strings, the same rules as the pages."""

import datetime

from common.tests.api import api_client
from dues.models import LedgerEntry

from .factories import pay, pension_of


def test_payments_in_bulk_and_the_ledger_read_back_as_exact_amounts(tree):
    pension_of(tree.member_a1)
    client = api_client(tree.users["secretary_a1"])

    created = client.post(
        "/api/dues/cells/XA-C1/payments",
        data={
            "month": "2026-11",
            "method": "bank_transfer",
            "paid_on": "2026-11-30",
            "lines": [{"member_id": tree.member_a1.pk, "amount": "30000", "bank_reference": "FT26334"}],
        },
        content_type="application/json",
    )
    ledger = client.get("/api/dues/cells/XA-C1/ledger?month=2026-11")

    assert created.status_code == 201
    (row,) = ledger.json()
    assert (row["due"], row["paid"], row["state"]) == ("30000", "30000", "paid")
    assert row["entries"][0]["bank_reference"] == "FT26334"


def test_an_amount_in_fractions_of_a_dong_is_refused(tree):
    client = api_client(tree.users["secretary_a1"])

    response = client.post(
        "/api/dues/cells/XA-C1/payments",
        data={
            "month": "2026-11",
            "method": "cash",
            "paid_on": "2026-11-30",
            "lines": [{"member_id": tree.member_a1.pk, "amount": "30000.5", "receipt_number": "BL-1"}],
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    assert not LedgerEntry.objects.exists()


def test_a_member_of_another_cell_cannot_be_paid_for(tree):
    client = api_client(tree.users["secretary_a1"])

    response = client.post(
        "/api/dues/cells/XA-C1/payments",
        data={
            "month": "2026-11",
            "method": "cash",
            "paid_on": "2026-11-30",
            "lines": [{"member_id": tree.member_b1.pk, "amount": "30000", "receipt_number": "BL-1"}],
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    assert not LedgerEntry.objects.exists()


def test_a_correction_answers_the_reversal_and_the_replacement(tree):
    entry = pay(tree.member_a1, datetime.date(2026, 11, 1), amount=300_000)
    client = api_client(tree.users["secretary_a1"])

    response = client.post(
        f"/api/dues/entries/{entry.pk}/correct",
        data={"reason": "Ghi thừa số 0", "amount": "30000", "receipt_number": "BL-1"},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["reversal"]["amount"], body["reversal"]["reverses_id"]) == ("-300000", entry.pk)
    assert (body["replacement"]["amount"], body["replacement"]["replaces_id"]) == ("30000", entry.pk)


def test_the_member_reads_their_own_months(tree):
    pension_of(tree.member_a1)
    pay(tree.member_a1, datetime.date(2026, 11, 1))

    response = api_client(tree.users["member_a1"]).get("/api/dues/mine?year=2026")

    months = {row["month"]: row for row in response.json()["months"]}
    assert months["2026-11"]["state"] == "paid"
    assert months["2026-10"]["owing"] == "30000"


def test_the_arrears_worklist_over_the_api(tree):
    pension_of(tree.member_a1)

    response = api_client(tree.users["province_viewer"]).get("/api/dues/units/XA/arrears?year=2026")

    (row,) = response.json()
    assert row["member_id"] == tree.member_a1.pk
    assert row["unpaid_months"][:3] == ["2026-02", "2026-03", "2026-04"]
