"""The dues pages: the secretary's sheet, the correction form, the member's own months, the committee's view."""

import datetime
from decimal import Decimal

from django.urls import reverse

from dues.models import DuesProfile, LedgerEntry
from members.tests.factories import make_member

from .factories import pay, pension_of

NOVEMBER = datetime.date(2026, 11, 1)


def test_the_sheet_is_filled_with_what_each_member_owes(client, tree):
    pension_of(tree.member_a1)
    pay(tree.member_a1, NOVEMBER, amount=10_000)
    client.force_login(tree.users["secretary_a1"])

    response = client.get(reverse("dues:cell", args=["XA-C1"]) + "?month=2026-11")

    assert response.status_code == 200
    assert response.context["form"][f"amount_{tree.member_a1.pk}"].initial == Decimal(20_000)
    assert "Nguyễn Văn An" in response.content.decode()


def test_ticking_members_records_their_payments_and_leaves_the_others(client, tree):
    second = make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    client.force_login(tree.users["secretary_a1"])

    response = client.post(
        reverse("dues:cell", args=["XA-C1"]),
        {
            "month": "2026-11",
            "method": "cash",
            "paid_on": "2026-11-28",
            f"paid_{tree.member_a1.pk}": "on",
            f"amount_{tree.member_a1.pk}": "30000",
            f"proof_{tree.member_a1.pk}": "BL-7",
            f"amount_{second.pk}": "30000",
        },
    )

    assert response.status_code == 302
    assert list(LedgerEntry.objects.values_list("member_id", "amount", "receipt_number", "month")) == [
        (tree.member_a1.pk, Decimal(30_000), "BL-7", NOVEMBER)
    ]


def test_a_viewer_sees_the_ledger_without_the_sheet(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(reverse("dues:cell", args=["XA-C1"]))

    assert response.status_code == 200
    assert response.context["form"] is None
    assert client.post(reverse("dues:cell", args=["XA-C1"]), {"month": "2026-11"}).status_code == 403


def test_the_correction_page_keeps_the_wrong_entry_and_adds_two(client, tree):
    entry = pay(tree.member_a1, NOVEMBER, amount=300_000)
    client.force_login(tree.users["secretary_a1"])

    response = client.post(
        reverse("dues:correct", args=[entry.pk]),
        {"reason": "Ghi thừa số 0", "amount": "30000", "method": "cash", "proof": "BL-1"},
    )

    assert response.status_code == 302
    assert list(LedgerEntry.objects.order_by("id").values_list("kind", "amount")) == [
        ("payment", Decimal(300_000)),
        ("reversal", Decimal(-300_000)),
        ("payment", Decimal(30_000)),
    ]
    page = client.get(reverse("dues:cell", args=["XA-C1"]) + "?month=2026-11").content.decode()
    assert "reversed" in page


def test_the_member_sees_their_own_months_from_their_record(client, tree):
    pension_of(tree.member_a1)
    pay(tree.member_a1, NOVEMBER)
    client.force_login(tree.users["member_a1"])

    record = client.get(reverse("handbook:my_record")).content.decode()
    response = client.get(reverse("dues:mine"))

    assert reverse("dues:mine") in record
    assert response.status_code == 200
    lines = {line.month: line for line in response.context["lines"]}
    assert lines[NOVEMBER].state == "paid"
    assert lines[datetime.date(2026, 10, 1)].state == "unpaid"
    assert response.context["owing"] == Decimal(10 * 30_000)  # February to December, less November


def test_a_user_without_a_member_record_has_no_dues_page(client, tree):
    client.force_login(tree.users["secretary_a1"])

    assert client.get(reverse("dues:mine")).status_code == 404


def test_the_secretary_records_a_basis_from_the_members_page(client, tree):
    client.force_login(tree.users["secretary_a1"])

    response = client.post(
        reverse("dues:profile_add", args=[tree.member_a1.pk]),
        {"starts_on": "2026-03", "basis": "social_insurance_salary", "amount": "7500000"},
    )

    assert response.status_code == 302
    profile = DuesProfile.objects.get()
    assert (profile.starts_on, profile.amount) == (datetime.date(2026, 3, 1), Decimal(7_500_000))
    page = client.get(reverse("dues:member", args=[tree.member_a1.pk])).content.decode()
    assert "03/2026" in page


def test_the_committee_page_lists_collection_per_unit_and_the_worklist(client, tree):
    pension_of(tree.member_a1)
    for month in (2, 3, 4, 5, 6, 7, 8):
        pay(tree.member_a1, datetime.date(2026, month, 1))
    client.force_login(tree.users["officer_a"])

    response = client.get(reverse("dues:units", args=["XA"]) + "?year=2026")

    assert response.status_code == 200
    assert response.context["total"].total == Decimal(7 * 30_000)
    assert [row.member for row in response.context["worklist"]] == [tree.member_a1]  # September to November owing


def test_the_secretary_records_why_a_member_did_not_pay(client, tree):
    from dues.models import ArrearsReason

    client.force_login(tree.users["secretary_a1"])

    response = client.post(
        reverse("dues:reason_add", args=[tree.member_a1.pk]), {"year": "2026", "reason": "Đi làm ăn xa"}
    )

    assert response.status_code == 302
    assert list(ArrearsReason.objects.values_list("member_id", "year", "reason")) == [
        (tree.member_a1.pk, 2026, "Đi làm ăn xa")
    ]
