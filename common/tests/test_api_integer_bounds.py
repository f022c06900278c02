"""Integers a database cannot hold (beyond signed 64 bits), sent to every integer the API takes: never a 500.

The OpenAPI schema served at /api/openapi.json is walked for every integer parameter in the path or the query and
every integer field (or list of integers) of a JSON or form body; each gets 2^63, −2^63−1 and 10^23 on its own. A
query or body value is refused as invalid input naming the field (422); a path id answers 422 or 404.
"""

import json

import pytest
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from common.tests.api import api_client
from sotay.api import api

OUT_OF_RANGE = [2**63, -(2**63) - 1, 10**23]
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
BODY_TYPES = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def resolved(schema: dict) -> dict:
    """The schema a `$ref` (or a nullable `anyOf` of one) stands for."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return resolved(SCHEMA["components"]["schemas"][name])
    for choice in schema.get("anyOf", []):
        if choice.get("type") != "null":
            return resolved(choice)
    return schema


def is_integer(schema: dict) -> bool:
    schema = resolved(schema)
    return schema.get("type") == "integer" or (schema.get("type") == "array" and is_integer(schema["items"]))


def integer_inputs():
    """(method, path, where, name, content type) for every integer the API takes."""
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if is_integer(parameter["schema"]):
                    yield method, path, parameter["in"], parameter["name"], None
            for content_type, body in operation.get("requestBody", {}).get("content", {}).items():
                assert content_type in BODY_TYPES, f"{method} {path}: a body of {content_type} is not walked"
                for name, field in resolved(body["schema"]).get("properties", {}).items():
                    if is_integer(field):
                        yield method, path, "body", name, content_type


INPUTS = list(integer_inputs())


def test_the_walk_finds_the_integers_of_the_path_the_query_and_the_body():
    places = {(where, name) for _method, _path, where, name, _type in INPUTS}

    assert {("path", "member_id"), ("query", "member_id"), ("body", "ids"), ("body", "parent_id")} <= places


def fill_path(path: str, name: str, value: int) -> str:
    """The path with `value` for `name` and 1 for any other parameter (an id or a code, both take "1")."""
    for segment in path.split("/"):
        if segment.startswith("{"):
            path = path.replace(segment, str(value) if segment == f"{{{name}}}" else "1")
    return path


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize(("method", "path", "where", "name", "content_type"), INPUTS)
def test_an_integer_out_of_64_bits_is_invalid_input_never_a_server_error(
    tree, method, path, where, name, content_type, value
):
    client: Client = api_client(tree.users["admin_a"])
    url = fill_path(path, name if where == "path" else "", value)
    sent = [value] if is_integer_list(method, path, name, where) else value
    if where == "query":
        response = client.generic(method.upper(), url + f"?{name}={value}")
    elif where == "body" and content_type == "application/json":
        response = client.generic(method.upper(), url, json.dumps({name: sent}), content_type=content_type)
    elif where == "body":
        response = client.post(url, {name: sent})
    else:
        response = client.generic(method.upper(), url)

    assert response.status_code != 500
    if where == "path":
        assert response.status_code in (404, 422), response.content
    else:
        assert response.status_code == 422, response.content
        assert name in response.json()["errors"], response.json()


def is_integer_list(method: str, path: str, name: str, where: str) -> bool:
    if where != "body":
        return False
    content = SCHEMA["paths"][path][method]["requestBody"]["content"]
    body = resolved(next(iter(content.values()))["schema"])
    return resolved(body["properties"][name]).get("type") == "array"


@pytest.mark.parametrize("value", OUT_OF_RANGE[::2])
def test_a_page_given_an_id_out_of_64_bits_is_not_found(tree, value):
    client = Client()
    client.force_login(tree.users["admin_a"])

    assert client.get(f"/members/{value}/").status_code == 404
    assert client.get(f"/questions/{value}/").status_code == 404
