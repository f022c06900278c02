"""One permission matrix for every page and every API operation.

Each endpoint acts on something inside commune A. It is called as four kinds of user: anonymous,
signed in with no role, holding a role on the sibling commune B, and holding a role on the province
(an ancestor of A). The first three must be refused (or, for a list, shown nothing of A) and a
refused write must leave the database exactly as it was; the ancestor must succeed.

`test_the_matrix_covers_every_page_and_api_operation` fails when an endpoint is added without a row
here, so new endpoints cannot slip past it.
"""

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.choices import RoleKind
from accounts.models import ApiToken, RoleAssignment, User
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.tests.api import api_client
from members.models import Member
from members.tests.factories import member_data
from members.tests.test_views import as_post, edit_post
from orgunits.models import AdminArea, Unit

READ, WRITE, LIST = "read", "write", "list"


@dataclasses.dataclass(frozen=True)
class Endpoint:
    name: str  # URL name for pages, "METHOD /api/path" for the API
    kind: str  # READ, WRITE or LIST
    method: str
    url: Callable
    data: Callable | None = None
    is_api: bool = False
    # A list must not show this text to refused users (it names something in commune A)...
    hidden_text: str = ""
    # ...and shows this one to a user with a role on the province (hidden_text when empty).
    ancestor_text: str = ""


def page(name, kind, method, url, data=None, hidden_text="", ancestor_text=""):
    return Endpoint(
        name=name, kind=kind, method=method, url=url, data=data, hidden_text=hidden_text, ancestor_text=ancestor_text
    )


def api(method, route, kind, url, data=None, hidden_text=""):
    return Endpoint(
        name=f"{method} /api{route}", kind=kind, method=method, url=url, data=data, is_api=True, hidden_text=hidden_text
    )


def new_member_form(tree):
    fields = member_data(unit=tree.cell_a2, full_name="Đỗ Văn Mới", ethnicity="Kinh", status="active", is_eligible=True)
    return as_post({**fields, "reason": "Kết nạp"})


def new_member_json(tree):
    data = member_data(unit=tree.cell_a2, full_name="Đỗ Văn Mới")
    del data["unit"]
    return {
        **{key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in data.items()},
        "unit_code": "XA-C2",
    }


ENDPOINTS = [
    # The unit list starts at the user's own role units: the province for the ancestor.
    page(
        "orgunits:list",
        LIST,
        "get",
        lambda t: reverse("orgunits:list"),
        hidden_text="Đảng bộ xã A",
        ancestor_text="Đảng bộ Thành phố Hà Nội",
    ),
    page("orgunits:detail", READ, "get", lambda t: reverse("orgunits:detail", args=["XA-C2"])),
    page(
        "orgunits:create",
        WRITE,
        "post",
        lambda t: reverse("orgunits:create", args=["XA"]),
        lambda t: {
            "code": "XA-C9",
            "name": "Chi bộ thôn 9",
            "kind": "attached_cell",
            "opened_on": "2025-01-01",
            "reason": "x",
        },
    ),
    page(
        "orgunits:edit",
        WRITE,
        "post",
        lambda t: reverse("orgunits:edit", args=["XA-C2"]),
        lambda t: {"name": "Tên mới", "reason": "x"},
    ),
    page(
        "orgunits:move",
        WRITE,
        "post",
        lambda t: reverse("orgunits:move", args=["XA-C2"]),
        lambda t: {"new_parent": "XA-G", "reason": "x"},
    ),
    page(
        "orgunits:close",
        WRITE,
        "post",
        lambda t: reverse("orgunits:close", args=["XA-G-C1"]),
        lambda t: {"reason": "x"},
    ),
    page(
        "orgunits:merge",
        WRITE,
        "post",
        lambda t: reverse("orgunits:merge", args=["XA-C2"]),
        lambda t: {"target": "XA-C1", "reason": "x"},
    ),
    page("members:list", LIST, "get", lambda t: reverse("members:list"), hidden_text="Trần Thị Bình"),
    page("members:detail", READ, "get", lambda t: reverse("members:detail", args=[t.member_a2.pk])),
    page("members:create", WRITE, "post", lambda t: reverse("members:create"), new_member_form),
    page(
        "members:edit",
        WRITE,
        "post",
        lambda t: reverse("members:edit", args=[t.member_a2.pk]),
        lambda t: edit_post(t.member_a2, phone="0987000111", reason="x"),
    ),
    api("get", "/units", LIST, lambda t: "/api/units", hidden_text="XA-C2"),
    api(
        "post",
        "/units",
        WRITE,
        lambda t: "/api/units",
        lambda t: {"parent_code": "XA", "code": "XA-C9", "name": "Chi bộ thôn 9", "kind": "attached_cell"},
    ),
    api("get", "/units/{code}", READ, lambda t: "/api/units/XA-C2"),
    api("patch", "/units/{code}", WRITE, lambda t: "/api/units/XA-C2", lambda t: {"name": "Tên mới"}),
    api("get", "/units/{code}/children", READ, lambda t: "/api/units/XA/children"),
    api("post", "/units/{code}/move", WRITE, lambda t: "/api/units/XA-C2/move", lambda t: {"new_parent_code": "XA-G"}),
    api("post", "/units/{code}/close", WRITE, lambda t: "/api/units/XA-G-C1/close", lambda t: {}),
    api("post", "/units/{code}/merge", WRITE, lambda t: "/api/units/XA-C2/merge", lambda t: {"target_code": "XA-C1"}),
    api("get", "/members", LIST, lambda t: "/api/members", hidden_text="Trần Thị Bình"),
    api("post", "/members", WRITE, lambda t: "/api/members", new_member_json),
    api("get", "/members/{member_id}", READ, lambda t: f"/api/members/{t.member_a2.pk}"),
    api(
        "patch",
        "/members/{member_id}",
        WRITE,
        lambda t: f"/api/members/{t.member_a2.pk}",
        lambda t: {"phone": "0987000111", "version": t.member_a2.version},
    ),
    api("get", "/members/{member_id}/history", READ, lambda t: f"/api/members/{t.member_a2.pk}/history"),
]

# Pages and operations that act on no unit's data: only signing in is required (checked below).
SIGNED_IN_ONLY = {"accounts:home", "accounts:my_record", "get /api/auth/me"}
PUBLIC = {"accounts:login", "accounts:logout", "post /api/auth/token"}


def database_fingerprint() -> str:
    """A digest of every row a write could touch."""
    rows = [
        list(model.objects.order_by("pk").values())
        for model in (Unit, AdminArea, Member, ChangeLog, RoleAssignment, User)
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def response_text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def call(endpoint: Endpoint, client: Client, tree):
    url = endpoint.url(tree)
    data = endpoint.data(tree) if endpoint.data else None
    if endpoint.is_api:
        method = getattr(client, endpoint.method)
        return method(url, data=json.dumps(data), content_type="application/json") if data is not None else method(url)
    return client.post(url, data) if endpoint.method == "post" else client.get(url)


def client_for(endpoint: Endpoint, user) -> Client:
    if endpoint.is_api:
        return api_client(user)
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ancestor_user(tree, kind: str):
    role = RoleKind.COMMITTEE_ADMIN if kind == WRITE else RoleKind.VIEWER
    return make_user(role=role, unit=tree.province, username="province_role")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@pytest.mark.parametrize("who", ["anonymous", "no_role", "sibling"])
def test_refused_users_get_nothing_and_change_nothing(endpoint, who, tree):
    user = {"anonymous": None, "no_role": tree.users["no_role"], "sibling": tree.users["officer_b"]}[who]
    client = client_for(endpoint, user)
    before = database_fingerprint()
    tokens_before = ApiToken.objects.count()

    response = call(endpoint, client, tree)

    if who == "anonymous":
        expected = 401 if endpoint.is_api else 302
        assert response.status_code == expected
        if not endpoint.is_api:
            assert response["Location"].startswith(reverse("accounts:login"))
    elif endpoint.kind == LIST:
        assert response.status_code == 200
        assert endpoint.hidden_text not in response_text(response)
    elif endpoint.is_api:
        assert response.status_code in (403, 404, 422)
    else:
        # A form whose choices are narrowed to the user's scope re-renders with an error (200).
        assert response.status_code in (200, 403, 404)
    # Creating the API client's token is the only row the call itself may have added.
    assert ApiToken.objects.count() == tokens_before
    assert database_fingerprint() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_a_role_on_an_ancestor_unit_reaches_the_subtree(endpoint, tree):
    client = client_for(endpoint, ancestor_user(tree, endpoint.kind))

    response = call(endpoint, client, tree)

    if endpoint.kind == WRITE:
        assert response.status_code in ((200, 201) if endpoint.is_api else (302,)), response.content[:500]
    else:
        assert response.status_code == 200
    if endpoint.kind == LIST:
        assert (endpoint.ancestor_text or endpoint.hidden_text) in response_text(response)


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ONLY))
def test_pages_without_unit_data_still_require_signing_in(name, tree):
    is_api = name.startswith("get /api")
    response = Client().get("/api/auth/me" if is_api else reverse(name))

    assert response.status_code == (401 if is_api else 302)


def page_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("accounts", "orgunits", "members"):
                    walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and namespace and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def api_operations(client) -> set[str]:
    schema = client.get("/api/openapi.json").json()
    return {f"{method} {path}" for path, operations in schema["paths"].items() for method in operations}


def test_the_matrix_covers_every_page_and_api_operation(db, client):
    covered = {endpoint.name for endpoint in ENDPOINTS} | SIGNED_IN_ONLY | PUBLIC

    assert page_names() | api_operations(client) <= covered, "add the new endpoint to ENDPOINTS"
    assert {name for name in covered if ":" in name} <= page_names()
