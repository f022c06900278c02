"""The transfer pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import datetime

from accounts.choices import RoleKind
from common.tests.matrix import READ, WRITE, api, page

from .factories import MOVES_ON, REASON, apply, issued

RECEIVER = {"ancestor_role": RoleKind.COMMITTEE_OFFICER}


def with_application(tree) -> dict:
    return {"transfer": apply(tree)}


def with_letter(tree) -> dict:
    return {"transfer": issued(tree)}


def away_temporarily(tree) -> dict:
    from transfers.services import transfer_receive

    transfer = issued(tree, kind="temporary", returns_on=datetime.date(2027, 6, 30))
    return {"transfer": transfer_receive(actor=tree.users["officer_a"], transfer=transfer)}


def application_form(ctx) -> dict:
    return {
        "member": ctx.member_a1.pk,
        "kind": "official",
        "to_unit": ctx.cell_a2.code,
        "moves_on": MOVES_ON.isoformat(),
        "reason": REASON,
    }


def incoming_form(ctx) -> dict:
    return {
        "to_unit": ctx.cell_a2.code,
        "outside_name": "Đảng bộ Công an tỉnh Lào Cai",
        "outside_letter": "Số 27-GT/ĐU ngày 01/11/2026",
        "moves_on": "2026-11-20",
        "full_name": "Đỗ Minh Khoa",
        "sex": "male",
        "date_of_birth": "1985-03-02",
        "citizen_id": "001085012345",
        "joined_on": "2010-05-19",
        "official_on": "2011-05-19",
    }


def transfer_url(suffix: str = ""):
    return lambda ctx: f"/transfers/{ctx.transfer.pk}/{suffix}"


def api_url(suffix: str = ""):
    return lambda ctx: f"/api/transfers/{ctx.transfer.pk}{suffix}"


def reason(ctx, prefix: str = "") -> dict:
    return {f"{prefix}reason": "Hồ sơ chưa đủ"}


ENDPOINTS = [
    page("transfers:transfer", READ, "get", transfer_url(), prepare=with_application),
    page("transfers:letter", READ, "get", transfer_url("letter.docx"), prepare=with_letter),
    page("transfers:apply", WRITE, "post", lambda ctx: "/transfers/apply/", application_form),
    page(
        "transfers:incoming",
        WRITE,
        "post",
        lambda ctx: "/transfers/incoming/",
        incoming_form,
        hidden_text="Chi bộ thôn 2",
        **RECEIVER,
    ),
    page("transfers:issue", WRITE, "post", transfer_url("issue/"), lambda ctx: {}, prepare=with_application),
    page(
        "transfers:refuse",
        WRITE,
        "post",
        transfer_url("refuse/"),
        lambda ctx: reason(ctx, "refuse-"),
        prepare=with_application,
    ),
    page(
        "transfers:cancel",
        WRITE,
        "post",
        transfer_url("cancel/"),
        lambda ctx: reason(ctx, "cancel-"),
        prepare=with_application,
    ),
    page("transfers:receive", WRITE, "post", transfer_url("receive/"), prepare=with_letter, **RECEIVER),
    page("transfers:return", WRITE, "post", transfer_url("return/"), prepare=away_temporarily, **RECEIVER),
    api("get", "/transfers/{transfer_id}", READ, api_url(), prepare=with_application),
    api(
        "post",
        "/transfers/apply",
        WRITE,
        lambda ctx: "/api/transfers/apply",
        lambda ctx: {
            "member_id": ctx.member_a1.pk,
            "kind": "official",
            "to_unit_code": ctx.cell_a2.code,
            "moves_on": MOVES_ON.isoformat(),
            "reason": REASON,
        },
    ),
    api("post", "/transfers/{transfer_id}/issue", WRITE, api_url("/issue"), lambda ctx: {}, prepare=with_application),
    api("post", "/transfers/{transfer_id}/refuse", WRITE, api_url("/refuse"), reason, prepare=with_application),
    api("post", "/transfers/{transfer_id}/cancel", WRITE, api_url("/cancel"), reason, prepare=with_application),
    api("post", "/transfers/{transfer_id}/receive", WRITE, api_url("/receive"), prepare=with_letter, **RECEIVER),
    api("post", "/transfers/{transfer_id}/return", WRITE, api_url("/return"), prepare=away_temporarily, **RECEIVER),
]
# The member's own transfers, the late list and the work lists are narrowed by the selectors (tests/test_views.py);
# the letter check shows what the paper shows to whoever holds it signed in.
SIGNED_IN_ONLY = [
    "transfers:index",
    "transfers:late",
    "transfers:check",
    "get /api/transfers/mine",
    "get /api/transfers/late",
]
