"""The meetings API: answers as its OpenAPI document says."""

import datetime

from django.test import Client
from django.utils import timezone

from common.tests.api import api_client
from meetings.models import Meeting


def test_listing_the_meetings_of_an_unknown_unit_is_a_documented_not_found(tree):
    response = api_client(tree.users["officer_a"]).get("/api/meetings", {"unit_code": "NO-SUCH-UNIT"})

    assert response.status_code == 404
    responses = Client().get("/api/openapi.json").json()["paths"]["/api/meetings"]["get"]["responses"]
    assert "404" in responses


def test_a_secretary_schedules_a_meeting_and_invites_through_the_api(tree, django_capture_on_commit_callbacks):
    secretary = api_client(tree.users["secretary_a1"])
    starts = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    body = {
        "unit_code": "XA-C1",
        "topic": "Học tập nghị quyết",
        "place": "Nhà văn hoá",
        "starts_at": starts.isoformat(),
    }

    created = secretary.post("/api/meetings", data=body, content_type="application/json")
    refused = api_client(tree.users["member_a1"]).post("/api/meetings", data=body, content_type="application/json")
    at_the_commune = secretary.post(
        "/api/meetings",
        data={**body, "unit_code": "XA"},
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get(pk=created.json()["id"])
    assert (meeting.unit, meeting.topic, meeting.starts_at, meeting.created_by) == (
        tree.cell_a1,
        "Học tập nghị quyết",
        starts,
        tree.users["secretary_a1"],
    )
    assert refused.status_code == 404
    assert at_the_commune.status_code in (400, 404)
    with django_capture_on_commit_callbacks(execute=True):
        invited = secretary.post(f"/api/meetings/{meeting.pk}/invite")
    assert invited.status_code == 200 and invited.json() == {"members_with_an_account": 1}
