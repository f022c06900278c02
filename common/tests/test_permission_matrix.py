"""One permission matrix for every page and every API operation (see common/tests/matrix.py).

Refused users (anonymous, no role, a role on the sibling commune) get nothing and change nothing;
a role on the province reaches commune A. The endpoints come from each app's tests/endpoints*.py, and
`test_the_matrix_covers_every_page_and_api_operation` fails when an endpoint has no row there.
"""

import hashlib
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.choices import RoleKind
from accounts.models import ApiToken
from accounts.tests.factories import make_user
from common.tests.api import api_client

from .matrix import LIST, WRITE, Endpoint, context_for

# Our apps are the top-level folders of the project (the virtualenv's packages live deeper).
OUR_APPS = [config for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR]
# Tokens are made for the API client itself; everything else of ours must stay untouched by a refused call.
NOT_FINGERPRINTED = {ApiToken}


def endpoint_modules():
    """Every app's tests/endpoints*.py, and those of its packages (members/importing/tests/...): one app may keep
    several, one per feature."""
    for config in OUR_APPS:
        for path in sorted(Path(config.path).glob("**/tests/endpoints*.py")):
            relative = path.relative_to(settings.BASE_DIR).with_suffix("")
            yield importlib.import_module(".".join(relative.parts))


def collect(name: str) -> list:
    return [item for module in endpoint_modules() for item in getattr(module, name, [])]


ENDPOINTS: list[Endpoint] = collect("ENDPOINTS")
# Pages and operations that act on no unit's data, only on the user's own (an endpoints file lists them in
# SIGNED_IN_ONLY): only signing in is required (checked below).
SIGNED_IN_ONLY = {"accounts:home", "handbook:my_record", "get /api/auth/me", *collect("SIGNED_IN_ONLY")}
# Reachable signed out (an endpoints file lists them in PUBLIC). Activation is how a member without a usable
# password gets one.
PUBLIC = {"accounts:login", "accounts:logout", "post /api/auth/token", *collect("PUBLIC")}


def database_fingerprint() -> str:
    """A digest of every row of every model of ours."""
    models = [model for config in OUR_APPS for model in config.get_models() if model not in NOT_FINGERPRINTED]
    rows = [list(model.objects.order_by("pk").values()) for model in models]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


def response_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def call(endpoint: Endpoint, client: Client, ctx):
    url = endpoint.url(ctx)
    data = endpoint.data(ctx) if endpoint.data else None
    if endpoint.is_api:
        method = getattr(client, endpoint.method)
        if endpoint.multipart:
            return method(url, data=data)
        return method(url, data=json.dumps(data), content_type="application/json") if data is not None else method(url)
    return client.post(url, data) if endpoint.method == "post" else client.get(url)


def client_for(endpoint: Endpoint, user) -> Client:
    if endpoint.is_api:
        return api_client(user)
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ancestor_user(tree, endpoint: Endpoint):
    role = endpoint.ancestor_role or (RoleKind.COMMITTEE_ADMIN if endpoint.kind == WRITE else RoleKind.VIEWER)
    return make_user(role=role, unit=tree.province, username="province_role")


# Every kind of role, held on commune B or one of its cells: none of them reaches commune A.
SIBLING_ROLES = {
    "sibling_officer": None,  # officer_b of the tree
    "sibling_admin": (RoleKind.COMMITTEE_ADMIN, "commune_b"),
    "sibling_viewer": (RoleKind.VIEWER, "commune_b"),
    "sibling_supporter": (RoleKind.SUPPORTER, "commune_b"),
    "sibling_secretary": (RoleKind.CELL_SECRETARY, "cell_b1"),
    "sibling_member": (RoleKind.MEMBER, "cell_b1"),
}


def refused_user(tree, who: str):
    if who in ("anonymous", "no_role", "sibling_officer"):
        return {"anonymous": None, "no_role": tree.users["no_role"], "sibling_officer": tree.users["officer_b"]}[who]
    role, unit = SIBLING_ROLES[who]
    member = tree.member_b1 if role == RoleKind.MEMBER else None
    return make_user(role=role, unit=getattr(tree, unit), username=who, member=member)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@pytest.mark.parametrize("who", ["anonymous", "no_role", *SIBLING_ROLES])
def test_refused_users_get_nothing_and_change_nothing(endpoint, who, tree):
    user = refused_user(tree, who)
    ctx = context_for(endpoint, tree)
    client = client_for(endpoint, user)
    before = database_fingerprint()

    response = call(endpoint, client, ctx)

    if who == "anonymous":
        assert response.status_code == (401 if endpoint.is_api else 302)
        if not endpoint.is_api:
            assert response["Location"].startswith(reverse("accounts:login"))
    elif endpoint.kind == LIST:
        assert response.status_code == 200
        assert_shows_nothing_refused(endpoint, response)
    elif endpoint.is_api:
        assert response.status_code in (403, 404, 422)
    elif response.status_code == 200:
        # Only a page shared by everyone signed in (a form whose choices are narrowed to the user's scope
        # re-renders with an error) may answer; it must then prove it shows nothing of commune A.
        assert_shows_nothing_refused(endpoint, response)
    else:
        assert response.status_code in (403, 404)
    assert database_fingerprint() == before


def assert_shows_nothing_refused(endpoint: Endpoint, response) -> None:
    assert endpoint.hidden_text, (
        f"{endpoint.name} answers a refused user with {response.status_code}: refuse with 403 or 404, or name in "
        "hidden_text the text of commune A it must not show"
    )
    assert endpoint.hidden_text not in response_text(response)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_a_role_on_an_ancestor_unit_reaches_the_subtree(endpoint, tree):
    ctx = context_for(endpoint, tree)
    client = client_for(endpoint, ancestor_user(tree, endpoint))

    response = call(endpoint, client, ctx)

    if endpoint.kind == WRITE:
        assert response.status_code in ((200, 201, 202) if endpoint.is_api else (302,)), response.content[:500]
    else:
        assert response.status_code == 200
    if endpoint.kind == LIST:
        assert (endpoint.ancestor_text or endpoint.hidden_text) in response_text(response)


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ONLY))
def test_pages_without_unit_data_still_require_signing_in(name, tree):
    is_api = " /api" in name
    if is_api:
        method, path = name.split(" ", 1)
        response = getattr(Client(), method)(path)
    else:
        response = Client().get(reverse(name))

    assert response.status_code == (401 if is_api else 302)


def page_names() -> set[str]:
    namespaces = {config.label for config in OUR_APPS}
    names = set()

    def is_ours(resolver: URLResolver) -> bool:
        # A namespace named after an app, or one an app's URL module declares (rollout.activation.urls: activation).
        module = getattr(resolver.urlconf_module, "__name__", "")
        return resolver.namespace in namespaces or (resolver.namespace and module.split(".")[0] in namespaces)

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if is_ours(pattern):
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

    missing = (page_names() | api_operations(client)) - covered
    assert not missing, f"add these to their app's tests/endpoints.py: {sorted(missing)}"
    assert {name for name in covered if ":" in name} <= page_names()
