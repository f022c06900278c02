"""The notice API: the same rules as the pages."""

import pytest
from django.test import Client

from common.tests.api import api_client
from notices.models import Notice, NoticeRead
from notices.tests.factories import inbox_owners, make_notice

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_issues_a_notice_for_some_roles(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/notices",
        data={"unit_code": "XA", "title": "Họp bí thư", "body": "Nội dung", "roles": ["cell_secretary"]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit_code"], body["roles"], body["is_published"]) == ("XA", ["cell_secretary"], True)
    assert inbox_owners(Notice.objects.get()) == {"secretary_a1"}


def test_an_unknown_role_is_refused_under_its_field(tree):
    response = api_client(tree.users["officer_a"]).post(
        "/api/notices",
        data={"unit_code": "XA", "title": "x", "body": "y", "roles": ["king"]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "roles" in response.json()["errors"]
    assert not Notice.objects.exists()


def test_a_member_lists_reads_and_is_counted_once(tree):
    notice = make_notice(tree)
    client = api_client(tree.users["member_a1"])

    listed = client.get("/api/notices").json()
    opened = client.get(f"/api/notices/{notice.pk}").json()
    client.get(f"/api/notices/{notice.pk}")

    assert (listed["count"], listed["items"][0]["is_read"]) == (1, False)
    assert opened["is_recipient"] is True
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert client.get("/api/notices").json()["items"][0]["is_read"] is True


def test_the_read_rate_is_for_those_who_oversee_the_unit_only(tree):
    notice = make_notice(tree)
    api_client(tree.users["member_a1"]).get(f"/api/notices/{notice.pk}")

    as_member = api_client(tree.users["member_a1"]).get(f"/api/notices/{notice.pk}/read-rate")
    as_officer = api_client(tree.users["officer_a"]).get(f"/api/notices/{notice.pk}/read-rate")

    assert as_member.status_code == 404
    first = as_officer.json()[0]
    assert (first["unit_code"], first["read"], first["recipients"], first["percent"]) == ("XA", 1, 4, "25.0")


def test_the_read_rate_is_documented_with_its_own_fields(db):
    # library/api.py has a ReadRateOut of its own; sharing the name, the document described this answer with it.
    schema = Client().get("/api/openapi.json").json()

    answer = schema["paths"]["/api/notices/{notice_id}/read-rate"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["items"]["$ref"].rsplit("/", 1)[1]
    documented = schema["components"]["schemas"][name]["properties"]
    assert set(documented) == {"unit_code", "unit_name", "recipients", "read", "percent", "counted_at"}


def test_a_sibling_cannot_withdraw(tree):
    notice = make_notice(tree)

    response = api_client(tree.users["officer_b"]).post(
        f"/api/notices/{notice.pk}/withdraw", data={}, content_type="application/json"
    )

    assert response.status_code == 404
    assert Notice.objects.get(pk=notice.pk).withdrawn_at is None
