"""The member pages and API operations, for the permission matrix (common/tests/matrix.py)."""

import datetime

from django.urls import reverse

from common.tests.matrix import LIST, READ, WRITE, api, page
from members.tests.factories import member_data
from members.tests.test_views import as_post, edit_post


def new_member_form(c):
    fields = member_data(unit=c.cell_a2, full_name="Đỗ Văn Mới", ethnicity="Kinh", status="active", is_eligible=True)
    return as_post({**fields, "reason": "Kết nạp"})


def new_member_json(c):
    data = member_data(unit=c.cell_a2, full_name="Đỗ Văn Mới")
    del data["unit"]
    return {
        **{key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()},
        "unit_code": "XA-C2",
    }


ENDPOINTS = [
    # Refused (403) to roles that read no record; a list narrowed to their scope for the others.
    page("members:list", READ, "get", lambda c: reverse("members:list"), hidden_text="Trần Thị Bình"),
    page("members:detail", READ, "get", lambda c: reverse("members:detail", args=[c.member_a2.pk])),
    page(
        "members:create",
        WRITE,
        "post",
        lambda c: reverse("members:create"),
        new_member_form,
        hidden_text="Chi bộ thôn 2",
    ),
    page(
        "members:edit",
        WRITE,
        "post",
        lambda c: reverse("members:edit", args=[c.member_a2.pk]),
        lambda c: edit_post(c.member_a2, phone="0987000111", reason="x"),
    ),
    api("get", "/members", LIST, lambda c: "/api/members", hidden_text="Trần Thị Bình"),
    api("post", "/members", WRITE, lambda c: "/api/members", new_member_json),
    api("get", "/members/{member_id}", READ, lambda c: f"/api/members/{c.member_a2.pk}"),
    api(
        "patch",
        "/members/{member_id}",
        WRITE,
        lambda c: f"/api/members/{c.member_a2.pk}",
        lambda c: {"phone": "0987000111", "version": c.member_a2.version},
    ),
    api("get", "/members/{member_id}/history", READ, lambda c: f"/api/members/{c.member_a2.pk}/history"),
]
