import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from ninja import Schema

import sotay.api  # noqa: F401  (every app's API module, so that every schema class is defined)

OPERATIONS = {
    ("post", "/api/auth/token"),
    ("get", "/api/auth/me"),
    ("get", "/api/units"),
    ("post", "/api/units"),
    ("get", "/api/units/{code}"),
    ("patch", "/api/units/{code}"),
    ("get", "/api/units/{code}/children"),
    ("post", "/api/units/{code}/move"),
    ("post", "/api/units/{code}/close"),
    ("post", "/api/units/{code}/merge"),
    ("get", "/api/members"),
    ("post", "/api/members"),
    ("get", "/api/members/{member_id}"),
    ("patch", "/api/members/{member_id}"),
    ("get", "/api/members/{member_id}/history"),
}


@pytest.fixture
def schema(db) -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_the_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"] == {"title": "Sổ tay API", "version": "1", "description": schema["info"]["description"]}


def test_the_schema_lists_every_foundation_operation(schema):
    # Later features add operations; the permission matrix's coverage check makes sure each has a row there.
    assert {(method, path) for method, path, _operation in operations(schema)} >= OPERATIONS


def test_every_operation_but_obtaining_a_token_requires_a_token_or_a_session(schema):
    unauthenticated = {
        (method, path) for method, path, operation in operations(schema) if not operation.get("security")
    }

    assert unauthenticated == {("post", "/api/auth/token")}


def test_every_authenticated_operation_documents_the_401_answer(schema):
    undocumented = [
        (method, path)
        for method, path, operation in operations(schema)
        if operation.get("security") and "401" not in operation["responses"]
    ]

    assert undocumented == []


def test_every_operation_on_one_record_documents_the_404_answer(schema):
    undocumented = [
        (method, path)
        for method, path, operation in operations(schema)
        if "{" in path and "404" not in operation["responses"]
    ]

    assert undocumented == []


def test_every_write_documents_refusal_and_invalid_input(schema):
    undocumented = [
        (method, path)
        for method, path, operation in operations(schema)
        if method != "get" and path != "/api/auth/token" and not {"403", "422"} <= set(operation["responses"])
    ]

    assert undocumented == []


def test_the_docs_page_loads_its_assets_from_this_server_only(db):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(asset.startswith(static("ninja/")) for asset in assets)
    assert not re.search(r"https?://", html)


def test_every_asset_of_the_docs_page_is_a_local_static_file(db):
    html = Client().get("/api/docs").content.decode()

    assets = re.findall(rf'(?:src|href)="{static("")}([^"]+)"', html)

    assert assets and [asset for asset in assets if not finders.find(asset)] == []


def test_no_two_schema_classes_of_ours_share_a_name():
    """The OpenAPI document names schemas by class name: a second class of the same name silently replaces the
    first, and the document then describes one operation's answer with another's fields."""
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    by_name: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        module = cls.__module__
        if module.split(".")[0] in ours | {"sotay"} and ".tests" not in module:
            by_name.setdefault(cls.__name__, set()).add(module)
    shared = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert not shared, shared
