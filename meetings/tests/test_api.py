"""The meetings API: answers as its OpenAPI document says."""

from django.test import Client

from common.tests.api import api_client


def test_listing_the_meetings_of_an_unknown_unit_is_a_documented_not_found(tree):
    response = api_client(tree.users["officer_a"]).get("/api/meetings", {"unit_code": "NO-SUCH-UNIT"})

    assert response.status_code == 404
    responses = Client().get("/api/openapi.json").json()["paths"]["/api/meetings"]["get"]["responses"]
    assert "404" in responses
