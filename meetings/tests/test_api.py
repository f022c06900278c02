"""The meetings API: answers as its OpenAPI document says."""

import datetime

from django.test import Client
from django.utils import timezone

from common.tests.api import api_client
from meetings import services
from meetings.choices import Presence, VoteMethod
from meetings.models import Meeting, VoteCast

from .factories import make_meeting, started_meeting


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


def test_a_member_comments_through_the_api_and_reads_the_comments(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    member = api_client(tree.users["member_a1"])

    created = member.post(
        f"/api/meetings/{meeting.pk}/comments", data={"text": "Đề nghị thêm mục"}, content_type="application/json"
    )
    listed = member.get(f"/api/meetings/{meeting.pk}/comments")

    assert created.status_code == 201
    assert created.json()["author"] == "Nguyễn Văn An"
    assert [comment["text"] for comment in listed.json()] == ["Đề nghị thêm mục"]


def test_a_comment_after_the_start_is_refused_through_the_api_with_the_reason(tree):
    meeting = started_meeting(unit=tree.cell_a1)

    response = api_client(tree.users["member_a1"]).post(
        f"/api/meetings/{meeting.pk}/comments", data={"text": "Muộn"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "comments on the agenda are closed" in response.json()["errors"]["text"][0]


def _electronic_vote(tree, **fields):
    meeting = started_meeting(unit=tree.cell_a1)
    services.attendance_mark_many(
        actor=tree.users["secretary_a1"], meeting=meeting, presences={tree.member_a1.pk: Presence.PRESENT}
    )
    return services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Kế hoạch", method=VoteMethod.ELECTRONIC, **fields
    )


def test_a_present_member_votes_through_the_api(tree):
    vote = _electronic_vote(tree)
    member = api_client(tree.users["member_a1"])
    before = member.get(f"/api/meetings/{vote.meeting_id}/votes").json()[0]

    response = member.post(
        "/api/meetings/ballot",
        data={"vote_id": vote.pk, "choice": "for", "cast_at": timezone.now().isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert VoteCast.objects.filter(vote=vote, member=tree.member_a1, choice="for").exists()
    after = member.get(f"/api/meetings/{vote.meeting_id}/votes").json()[0]
    assert (before["may_vote"], before["has_voted"]) == (True, False)
    assert (after["may_vote"], after["has_voted"]) == (False, True)


def test_a_ballot_kept_offline_and_sent_later_is_refused_with_a_clear_message(tree):
    vote = _electronic_vote(tree)
    cast_offline = timezone.now() - datetime.timedelta(minutes=10)

    response = api_client(tree.users["member_a1"]).post(
        "/api/meetings/ballot",
        data={"vote_id": vote.pk, "choice": "for", "cast_at": cast_offline.isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "Voting needs a connection" in response.json()["errors"]["cast_at"][0]
    assert not VoteCast.objects.exists()


def test_the_secretary_opens_and_closes_a_vote_through_the_api(tree):
    vote = _electronic_vote(tree)
    api_client(tree.users["member_a1"]).post(
        "/api/meetings/ballot", data={"vote_id": vote.pk, "choice": "against"}, content_type="application/json"
    )
    secretary = api_client(tree.users["secretary_a1"])

    closed = secretary.post(f"/api/meetings/votes/{vote.pk}/close", data={}, content_type="application/json")
    again = secretary.post(f"/api/meetings/votes/{vote.pk}/close", data={}, content_type="application/json")

    assert closed.status_code == 200
    assert (closed.json()["count_against"], closed.json()["is_passed"]) == (1, False)
    assert again.status_code == 422
    listed = secretary.get(f"/api/meetings/{vote.meeting_id}/votes").json()
    assert listed[0]["closed_at"] is not None


def test_an_open_secret_vote_shows_no_running_count_that_could_follow_each_ballot(tree):
    vote = _electronic_vote(tree, is_secret=True)
    api_client(tree.users["member_a1"]).post(
        "/api/meetings/ballot", data={"vote_id": vote.pk, "choice": "against"}, content_type="application/json"
    )

    listed = api_client(tree.users["secretary_a1"]).get(f"/api/meetings/{vote.meeting_id}/votes").json()[0]

    assert (listed["count_for"], listed["count_against"], listed["count_abstain"]) == (None, None, None)
    assert VoteCast.objects.get(vote=vote).choice == ""
