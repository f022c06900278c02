"""Cancelling a meeting: kept with its reason, members told, nothing more can happen to it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import ChangeLog
from meetings import selectors, services, tokens
from meetings.choices import Presence, Reply
from meetings.models import Meeting
from notifications.models import Notification

from .factories import make_meeting, started_meeting


def cancel(tree, meeting, reason="Trùng lịch họp của xã"):
    return services.meeting_cancel(actor=tree.users["secretary_a1"], meeting=meeting, reason=reason)


def test_a_cancelled_meeting_keeps_its_reason_is_logged_and_invited_members_are_told(
    tree, django_capture_on_commit_callbacks
):
    meeting = make_meeting(unit=tree.cell_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=tree.users["secretary_a1"], meeting=meeting)

    with django_capture_on_commit_callbacks(execute=True):
        cancel(tree, meeting)

    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None and meeting.cancel_reason == "Trùng lịch họp của xã"
    told = Notification.objects.filter(user=tree.users["member_a1"], url=f"/meetings/{meeting.pk}/")
    assert told.count() == 2  # the invitation, then the cancellation
    assert told.order_by("-pk").first().body == "Trùng lịch họp của xã"
    entry = ChangeLog.objects.for_object(meeting).latest("pk")
    assert entry.prechange_data["cancelled_at"] is None and entry.postchange_data["cancel_reason"]


def test_a_meeting_without_invitations_is_cancelled_without_telling_anyone(tree, django_capture_on_commit_callbacks):
    meeting = make_meeting(unit=tree.cell_a1)

    with django_capture_on_commit_callbacks(execute=True):
        cancel(tree, meeting)

    assert not Notification.objects.exists()


def test_the_next_meeting_skips_a_cancelled_one(tree):
    soon = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(days=1))
    later = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(days=8))
    assert selectors.next_meeting_for(user=tree.users["member_a1"]) == soon

    cancel(tree, soon)

    assert selectors.next_meeting_for(user=tree.users["member_a1"]) == later


def test_cancelling_needs_a_reason_and_a_meeting_not_yet_started_and_happens_once(tree):
    meeting = make_meeting(unit=tree.cell_a1)
    with pytest.raises(ValidationError) as raised:
        cancel(tree, meeting, reason="  ")
    assert "reason" in raised.value.message_dict

    with pytest.raises(ValidationError):
        cancel(tree, started_meeting(unit=tree.cell_a1))

    cancel(tree, meeting)
    with pytest.raises(ValidationError):
        cancel(tree, meeting, reason="Lần nữa")
    assert Meeting.objects.get(pk=meeting.pk).cancel_reason == "Trùng lịch họp của xã"


def test_only_those_who_manage_the_cells_meetings_may_cancel(tree):
    meeting = make_meeting(unit=tree.cell_a1)

    for user in (tree.users["member_a1"], tree.users["officer_b"], tree.users["province_viewer"]):
        with pytest.raises(PermissionDenied):
            services.meeting_cancel(actor=user, meeting=meeting, reason="Không họp")
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def test_nothing_more_happens_to_a_cancelled_meeting(tree):
    meeting = make_meeting(unit=tree.cell_a1, starts_at=timezone.now() + datetime.timedelta(minutes=5))
    token = tokens.token_issue(meeting_id=meeting.pk)
    cancel(tree, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    meeting.refresh_from_db()
    secretary, member = tree.users["secretary_a1"], tree.users["member_a1"]

    attempts = [
        lambda: services.meeting_reply(user=member, meeting=meeting, reply=Reply.CONFIRMED),
        lambda: services.meeting_invite(actor=secretary, meeting=meeting),
        lambda: services.meeting_update(actor=secretary, meeting=meeting, topic="Khác"),
        lambda: services.check_in(user=member, token=token),
        lambda: services.attendance_mark(
            actor=secretary, meeting=meeting, member=tree.member_a1, presence=Presence.PRESENT
        ),
        lambda: services.minutes_record(actor=secretary, meeting=meeting, minutes="Biên bản"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="cancelled|hủy"):
            attempt()
    assert not meeting.attendances.exclude(presence=Presence.UNKNOWN).exists()
    assert Meeting.objects.get(pk=meeting.pk).minutes_recorded_at is None


def test_the_secretary_cancels_from_the_page_and_members_see_it_marked(client, tree):
    meeting = make_meeting(unit=tree.cell_a1)
    client.force_login(tree.users["secretary_a1"])
    assert "Cancel the meeting" in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    response = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Bão lớn"}, follow=True)

    assert response.status_code == 200 and "Bão lớn" in response.content.decode()
    client.force_login(tree.users["member_a1"])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Cancelled" in page and "Bão lớn" in page and "Send my answer" not in page
    assert "Cancelled" in client.get(reverse("meetings:list")).content.decode()


def test_the_api_cancels_and_shows_it(tree):
    from common.tests.api import api_client

    meeting = make_meeting(unit=tree.cell_a1)
    officer = api_client(tree.users["officer_a"])

    refused = officer.post(f"/api/meetings/{meeting.pk}/cancel", data={"reason": ""}, content_type="application/json")
    done = officer.post(f"/api/meetings/{meeting.pk}/cancel", data={"reason": "Bão"}, content_type="application/json")

    assert refused.status_code in (400, 422)
    assert done.status_code == 200 and done.json()["cancel_reason"] == "Bão" and done.json()["cancelled_at"]
    listed = api_client(tree.users["member_a1"]).get("/api/meetings").json()["items"]
    assert [item["cancel_reason"] for item in listed if item["id"] == meeting.pk] == ["Bão"]
