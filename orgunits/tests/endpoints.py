"""The unit pages and API operations, for the permission matrix (common/tests/matrix.py)."""

from django.urls import reverse

from common.tests.matrix import LIST, READ, WRITE, api, page

NEW_CELL = {"code": "XA-C9", "name": "Chi bộ thôn 9", "kind": "attached_cell"}
SCHOOL_NAME = "Trường Tiểu học xã A"


def with_school(tree) -> dict:
    from orgunits.choices import OrganisationKind
    from orgunits.tests.factories import make_organisation

    school = make_organisation(area=tree.area_a, kind=OrganisationKind.SCHOOL, name=SCHOOL_NAME, code="TH-XA")
    return {"organisation": school}


ENDPOINTS = [
    # The unit list starts at the user's own role units: the province for the ancestor.
    page(
        "orgunits:list",
        LIST,
        "get",
        lambda c: reverse("orgunits:list"),
        hidden_text="Đảng bộ xã A",
        ancestor_text="Đảng bộ Thành phố Hà Nội",
    ),
    page("orgunits:detail", READ, "get", lambda c: reverse("orgunits:detail", args=["XA-C2"])),
    page(
        "orgunits:create",
        WRITE,
        "post",
        lambda c: reverse("orgunits:create", args=["XA"]),
        lambda c: {**NEW_CELL, "opened_on": "2025-01-01", "reason": "x"},
    ),
    page(
        "orgunits:edit",
        WRITE,
        "post",
        lambda c: reverse("orgunits:edit", args=["XA-C2"]),
        lambda c: {"name": "Tên mới", "reason": "x"},
    ),
    page(
        "orgunits:move",
        WRITE,
        "post",
        lambda c: reverse("orgunits:move", args=["XA-C2"]),
        lambda c: {"new_parent": "XA-G", "reason": "x"},
    ),
    page(
        "orgunits:close",
        WRITE,
        "post",
        lambda c: reverse("orgunits:close", args=["XA-G-C1"]),
        lambda c: {"reason": "x"},
    ),
    page(
        "orgunits:merge",
        WRITE,
        "post",
        lambda c: reverse("orgunits:merge", args=["XA-C2"]),
        lambda c: {"target": "XA-C1", "reason": "x"},
    ),
    # Organisations on commune A's territory: kept by those who manage the units serving it.
    page(
        "orgunits:organisations",
        LIST,
        "get",
        lambda c: reverse("orgunits:organisations"),
        prepare=with_school,
        hidden_text=SCHOOL_NAME,
    ),
    page(
        "orgunits:organisation",
        READ,
        "get",
        lambda c: reverse("orgunits:organisation", args=["TH-XA"]),
        prepare=with_school,
    ),
    # Refused users get the form again: its area must be one they keep, and commune A is none of theirs.
    page(
        "orgunits:organisation_create",
        WRITE,
        "post",
        lambda c: reverse("orgunits:organisation_create"),
        lambda c: {"code": "CTY-XA", "name": "Công ty May", "kind": "enterprise", "area": c.area_a.pk, "reason": "x"},
        hidden_text="Xã A",
    ),
    page(
        "orgunits:organisation_edit",
        WRITE,
        "post",
        lambda c: reverse("orgunits:organisation_edit", args=["TH-XA"]),
        lambda c: {"name": "Trường Tiểu học số 1", "reason": "x"},
        prepare=with_school,
    ),
    page(
        "orgunits:organisation_close",
        WRITE,
        "post",
        lambda c: reverse("orgunits:organisation_close", args=["TH-XA"]),
        lambda c: {"reason": "x"},
        prepare=with_school,
    ),
    api("get", "/organisations", LIST, lambda c: "/api/organisations", prepare=with_school, hidden_text="TH-XA"),
    api(
        "post",
        "/organisations",
        WRITE,
        lambda c: "/api/organisations",
        lambda c: {"area_code": "AR-XA", "code": "CTY-XA", "name": "Công ty May", "kind": "enterprise"},
    ),
    api("get", "/organisations/{code}", READ, lambda c: "/api/organisations/TH-XA", prepare=with_school),
    api("get", "/units", LIST, lambda c: "/api/units", hidden_text="XA-C2"),
    api("post", "/units", WRITE, lambda c: "/api/units", lambda c: {"parent_code": "XA", **NEW_CELL}),
    api("get", "/units/{code}", READ, lambda c: "/api/units/XA-C2"),
    api("patch", "/units/{code}", WRITE, lambda c: "/api/units/XA-C2", lambda c: {"name": "Tên mới"}),
    api("get", "/units/{code}/children", READ, lambda c: "/api/units/XA/children"),
    api("post", "/units/{code}/move", WRITE, lambda c: "/api/units/XA-C2/move", lambda c: {"new_parent_code": "XA-G"}),
    api("post", "/units/{code}/close", WRITE, lambda c: "/api/units/XA-G-C1/close", lambda c: {}),
    api("post", "/units/{code}/merge", WRITE, lambda c: "/api/units/XA-C2/merge", lambda c: {"target_code": "XA-C1"}),
]

# The whole country's administrative tree, for the central level's officers only: it acts on no unit of the tree's
# communes, so the matrix only checks that it asks to sign in; orgunits/tests/test_divisions.py checks who may use it.
SIGNED_IN_ONLY = ["orgunits:divisions"]
