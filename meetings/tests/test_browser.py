"""At phone size: a member signs in, opens the next meeting, checks in by the QR link, and the secretary sees it."""

import pytest
from playwright.sync_api import expect

from common.tests.browser import open_menu
from meetings.choices import Presence
from meetings.models import Attendance

from .factories import started_meeting

pytestmark = pytest.mark.browser


def test_a_member_checks_in_by_the_qr_link_and_the_secretary_sees_the_attendance(live_server, tree, phones):
    # Given the cell's meeting has begun and the secretary shows the QR code
    meeting = started_meeting(unit=tree.cell_a1, topic="Sinh hoạt chi bộ tháng này")
    secretary = phones(live_server.url, "secretary_a1")
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/qr/")
    expect(secretary.locator(".qr-code svg")).to_be_visible()
    link = secretary.locator(".qr-link a").get_attribute("href")
    assert "/meetings/check-in/?t=" in link

    # When the member signs in on their phone, opens the next meeting, then follows the QR link and checks in
    member = phones(live_server.url, "member_a1")
    open_menu(member)
    member.click(".site-nav a[href='/meetings/']")
    member.click(f".next-meeting a[href='/meetings/{meeting.pk}/']")
    expect(member.locator("h1")).to_have_text("Sinh hoạt chi bộ tháng này")
    member.goto(link)
    assert member.locator("input[name=scanned_at]").input_value() != ""
    member.click(".check-in-form button[type=submit]")

    # Then the member's page says so, and the secretary's attendance sheet shows them present
    expect(member.locator(".meeting-checked-in")).to_be_visible()
    assert Attendance.objects.get(meeting=meeting, member=tree.member_a1).presence == Presence.PRESENT
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    row = secretary.locator(".attendance-row", has_text="Nguyễn Văn An")
    expect(row).to_have_attribute("data-presence", "present")
    assert member.evaluate("document.documentElement.scrollWidth") <= 360
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 360
