"""A NUL character in a URL, a query parameter or a JSON body is refused before any view (PostgreSQL would fail)."""

import json

import pytest
from django.test import Client

from common.tests.api import api_client
from meetings.models import Meeting


@pytest.fixture
def officer(tree) -> Client:
    client = Client()
    client.force_login(tree.users["officer_a"])
    return client


@pytest.mark.parametrize(
    "url", ["/members/?unit=XA%00", "/members/?q=%00", "/units/XA%00/", "/members/import/?unit=%00"]
)
def test_a_page_asked_with_a_nul_answers_bad_request(officer, url):
    assert officer.get(url).status_code == 400


def test_an_api_query_with_a_nul_is_a_documented_422(tree):
    response = api_client(tree.users["officer_a"]).get("/api/members", {"search": "Nguy\x00ễn"})

    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("topic", ["Họp\u0000chi bộ", "\u0000"])
def test_a_json_body_with_a_nul_changes_nothing(tree, topic):
    body = {"unit_code": "XA-C1", "topic": topic, "place": "Nhà văn hoá", "starts_at": "2027-01-05T08:00:00+07:00"}

    response = api_client(tree.users["secretary_a1"]).post(
        "/api/meetings", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_a_backslash_written_before_u0000_as_text_is_not_a_nul(tree):
    body = {
        "unit_code": "XA-C1",
        "topic": "Đường dẫn C:\\u0000",
        "place": "Nhà văn hoá",
        "starts_at": "2027-01-05T08:00:00+07:00",
    }

    response = api_client(tree.users["secretary_a1"]).post(
        "/api/meetings", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert Meeting.objects.get().topic == "Đường dẫn C:\\u0000"
