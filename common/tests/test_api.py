"""What every router shares (common/api.py): malformed input is refused, never a server error, and documented."""

from django.test import Client

from common.api import MAX_OFFSET
from common.tests.api import api_client


def documented_statuses(method: str, path: str) -> set[str]:
    return set(Client().get("/api/openapi.json").json()["paths"][path][method]["responses"])


def test_an_offset_past_what_a_database_takes_is_refused_not_a_server_error(tree):
    response = api_client(tree.users["officer_a"]).get("/api/units", {"offset": MAX_OFFSET + 1})

    assert response.status_code == 422
    assert "offset" in response.json()["errors"]


def test_the_largest_offset_a_database_takes_is_an_empty_page(tree):
    response = api_client(tree.users["officer_a"]).get("/api/units", {"offset": MAX_OFFSET})

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_body_that_is_not_json_is_a_documented_bad_request(tree):
    response = api_client(tree.users["officer_a"]).patch("/api/units/XA", data="{", content_type="application/json")

    assert response.status_code == 400
    assert "400" in documented_statuses("patch", "/api/units/{code}")


def test_an_id_that_is_not_a_number_is_documented_invalid_input(tree):
    response = api_client(tree.users["officer_a"]).get("/api/members/first")

    assert response.status_code == 422
    assert "member_id" in response.json()["errors"]
    assert "422" in documented_statuses("get", "/api/members/{member_id}")
