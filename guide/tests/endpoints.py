"""The guide's pages and API operations, for the permission matrix (common/tests/matrix.py)."""

from common.tests.matrix import READ, WRITE, api, page

from .factories import TRANSFER_STEPS, write


def with_entry(tree) -> dict:
    return {"entry": write(tree)}


def entry_form(ctx, with_unit: bool = True) -> dict:
    data = {"topic": "transfer", "title": "Chuyển sinh hoạt tạm thời", "summary": "", "steps": TRANSFER_STEPS}
    return {"unit": ctx.commune_a.code, **data} if with_unit else data


ENDPOINTS = [
    page("guide:entry", READ, "get", lambda ctx: f"/guide/{ctx.entry.pk}/", prepare=with_entry),
    page("guide:new", WRITE, "post", lambda ctx: "/guide/new/", entry_form, hidden_text="Đảng bộ xã A"),
    page(
        "guide:edit",
        WRITE,
        "post",
        lambda ctx: f"/guide/{ctx.entry.pk}/edit/",
        lambda ctx: entry_form(ctx, with_unit=False),
        prepare=with_entry,
    ),
    api("get", "/guide/{entry_id}", READ, lambda ctx: f"/api/guide/{ctx.entry.pk}", prepare=with_entry),
]
# The list reads what is published above the user's places (tests/test_guide.py).
SIGNED_IN_ONLY = ["guide:index", "get /api/guide"]
