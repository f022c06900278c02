"""The dues pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import base64
import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from common.tests.matrix import READ, WRITE, api, page

RECORDER = {"ancestor_role": RoleKind.COMMITTEE_OFFICER}
RECEIPT = "BL-0042"


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def with_payment(tree) -> dict:
    from dues.services import PaymentLine, payments_record

    (entry,) = payments_record(
        actor=None,
        unit=tree.cell_a1,
        month=timezone.localdate().replace(day=1),
        method="cash",
        paid_on=timezone.localdate(),
        lines=[PaymentLine(member=tree.member_a1, amount=50_000, receipt_number=RECEIPT)],
    )
    return {"entry": entry}


def statement_form(ctx) -> dict:
    content = (
        "Ngày giao dịch,Số tiền,Nội dung,Số tham chiếu\n"
        f"{timezone.localdate():%d/%m/%Y},30.000,NGUYEN VAN AN DP{ctx.member_a1.pk}T{timezone.localdate():%Y%m},FT0001\n"
    )
    return {"name": "saoke.csv", "content": base64.b64encode(content.encode()).decode()}


def sheet_form(ctx) -> dict:
    pk = ctx.member_a1.pk
    return {
        "month": this_month(),
        "method": "cash",
        "paid_on": timezone.localdate().isoformat(),
        f"paid_{pk}": "on",
        f"amount_{pk}": "50000",
        f"proof_{pk}": "BL-0001",
    }


def correction_form(ctx) -> dict:
    return {"reason": "Ghi nhầm số tiền", "amount": "40000", "method": "cash", "proof": "BL-0043"}


def profile_form(ctx) -> dict:
    return {"starts_on": this_month(), "basis": "pension", "amount": "6000000"}


def exemption_form(ctx) -> dict:
    return {"ground": "serious_illness", "reduction_percent": "100", "starts_on": this_month()}


ENDPOINTS = [
    page("dues:cell", READ, "get", lambda c: reverse("dues:cell", args=["XA-C1"]), prepare=with_payment),
    page("dues:cell", WRITE, "post", lambda c: reverse("dues:cell", args=["XA-C1"]), sheet_form),
    page(
        "dues:correct",
        READ,
        "get",
        lambda c: reverse("dues:correct", args=[c.entry.pk]),
        prepare=with_payment,
        **RECORDER,
    ),
    page(
        "dues:correct",
        WRITE,
        "post",
        lambda c: reverse("dues:correct", args=[c.entry.pk]),
        correction_form,
        prepare=with_payment,
    ),
    page("dues:member", READ, "get", lambda c: reverse("dues:member", args=[c.member_a1.pk])),
    page("dues:profile_add", WRITE, "post", lambda c: reverse("dues:profile_add", args=[c.member_a1.pk]), profile_form),
    page(
        "dues:exemption_add",
        WRITE,
        "post",
        lambda c: reverse("dues:exemption_add", args=[c.member_a1.pk]),
        exemption_form,
    ),
    page(
        "dues:reason_add",
        WRITE,
        "post",
        lambda c: reverse("dues:reason_add", args=[c.member_a1.pk]),
        lambda c: {"year": "2026", "reason": "Đi làm ăn xa"},
    ),
    page(
        "dues:bank_account",
        WRITE,
        "post",
        lambda c: reverse("dues:bank_account", args=["XA-C1"]),
        lambda c: {"bank_bin": "970436", "account_number": "0011004455667", "account_name": "CHI BO THON 1"},
    ),
    page("dues:statement", READ, "get", lambda c: reverse("dues:statement", args=["XA-C1"]), **RECORDER),
    page("dues:statement", WRITE, "post", lambda c: reverse("dues:statement", args=["XA-C1"]), statement_form),
    page("dues:units", READ, "get", lambda c: reverse("dues:units", args=["XA"]), prepare=with_payment),
    api("get", "/dues/cells/{code}/ledger", READ, lambda c: "/api/dues/cells/XA-C1/ledger", prepare=with_payment),
    api(
        "post",
        "/dues/cells/{code}/payments",
        WRITE,
        lambda c: "/api/dues/cells/XA-C1/payments",
        lambda c: {
            "month": this_month(),
            "method": "bank_transfer",
            "paid_on": timezone.localdate().isoformat(),
            "lines": [{"member_id": c.member_a1.pk, "amount": "50000", "bank_reference": "FT2634"}],
        },
    ),
    api(
        "post",
        "/dues/entries/{entry_id}/correct",
        WRITE,
        lambda c: f"/api/dues/entries/{c.entry.pk}/correct",
        lambda c: {"reason": "Nộp hộ nhầm người", "amount": None},
        prepare=with_payment,
    ),
    api(
        "post",
        "/dues/members/{member_id}/basis",
        WRITE,
        lambda c: f"/api/dues/members/{c.member_a1.pk}/basis",
        lambda c: {"starts_on": this_month(), "basis": "student"},
    ),
    api(
        "post",
        "/dues/members/{member_id}/exemptions",
        WRITE,
        lambda c: f"/api/dues/members/{c.member_a1.pk}/exemptions",
        lambda c: {
            "ground": "hardship",
            "reduction_percent": 50,
            "starts_on": this_month(),
            "ends_on": f"{timezone.localdate() + datetime.timedelta(days=90):%Y-%m}",
        },
    ),
    api("get", "/dues/units/{code}/arrears", READ, lambda c: "/api/dues/units/XA/arrears"),
    api("get", "/dues/units/{code}/collection", READ, lambda c: "/api/dues/units/XA/collection", prepare=with_payment),
]

# The member's own months and their payment codes, and the menu's landing page (which lists only the user's own units).
SIGNED_IN_ONLY = ["dues:mine", "dues:mine_qr", "dues:index", "get /api/dues/mine"]
