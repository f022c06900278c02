"""At phone size: a member comments on the agenda before the meeting (once offline: the comment is kept and sent
later), then votes in the meeting from the phone; without a connection the vote is refused, never kept."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from handbook.tests.test_browser import signed_in_and_controlled, wait_until
from meetings import services
from meetings.choices import Presence, VoteMethod
from meetings.models import AgendaComment, BallotTally, VoteCast

from .factories import make_meeting, started_meeting

pytestmark = pytest.mark.browser

KEPT_COUNT = """new Promise((resolve) => {
    const open = indexedDB.open("sotay", 1);
    open.onsuccess = () => {
        const request = open.result.transaction("checkins").objectStore("checkins").count();
        request.onsuccess = () => resolve(request.result === 0);
    };
})"""


def test_a_member_comments_on_the_agenda_from_a_phone_even_offline(live_server, tree, phones):
    # Given a meeting in two days with an agenda
    meeting = make_meeting(
        unit=tree.cell_a1,
        topic="Sinh hoạt chi bộ tháng 12",
        agenda="1. Kiểm điểm công tác tháng\n2. Kế hoạch tháng tới",
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    page = signed_in_and_controlled(phones, live_server)

    # When the member opens the meeting, then its comments, and sends a comment
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click(".meeting-comments-link a")
    page.fill("textarea[name=text]", "Đề nghị bàn thêm việc sửa đường thôn.")
    page.click(".comment-form button[type=submit]")

    # Then it is listed, and the page fits the phone
    expect(page.locator(".comment-text", has_text="sửa đường thôn")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # When the connection drops and they send a second comment, it is kept on the phone...
    page.context.set_offline(True)
    page.fill("textarea[name=text]", "Đề nghị họp sớm 30 phút.")
    page.click(".comment-form button[type=submit]")
    expect(page.locator(".notice-warning")).to_be_visible()
    assert AgendaComment.objects.filter(meeting=meeting).count() == 1

    # ...and sent when the connection returns and a page of the app opens
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/handbook/")
    wait_until(page, KEPT_COUNT)
    assert list(AgendaComment.objects.filter(meeting=meeting).values_list("text", flat=True)) == [
        "Đề nghị bàn thêm việc sửa đường thôn.",
        "Đề nghị họp sớm 30 phút.",
    ]


def test_a_present_member_votes_from_a_phone_and_an_offline_vote_is_refused(live_server, tree, phones):
    # Given a meeting under way with the member present, and two electronic votes open (one secret)
    meeting = started_meeting(unit=tree.cell_a1, topic="Sinh hoạt chi bộ tháng 12")
    secretary = tree.users["secretary_a1"]
    services.attendance_mark_many(actor=secretary, meeting=meeting, presences={tree.member_a1.pk: Presence.PRESENT})
    first = services.vote_open(actor=secretary, meeting=meeting, matter="Kế hoạch năm", method=VoteMethod.ELECTRONIC)
    second = services.vote_open(
        actor=secretary, meeting=meeting, matter="Bầu tổ trưởng", method=VoteMethod.ELECTRONIC, is_secret=True
    )
    page = signed_in_and_controlled(phones, live_server)

    # When the member opens the meeting's votes and votes "in favour" on the first
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click(".meeting-votes-link")
    expect(page.locator(".vote-online-only")).to_be_visible()
    page.locator(f".vote[data-vote='{first.pk}'] button[value=for]").click()

    # Then the vote is recorded and the page says so, at phone width
    expect(page.locator(f".vote[data-vote='{first.pk}'] .vote-done")).to_be_visible()
    assert VoteCast.objects.get(vote=first, member=tree.member_a1).choice == "for"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # When the connection drops before they vote on the second, the phone refuses and keeps nothing
    page.context.set_offline(True)
    page.locator(f".vote[data-vote='{second.pk}'] button[value=against]").click()
    expect(page.locator(".notice-warning")).to_be_visible()
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/handbook/")
    wait_until(page, KEPT_COUNT)
    assert not BallotTally.objects.filter(vote=second, count__gt=0).exists()
    assert not VoteCast.objects.filter(vote=second).exists()
