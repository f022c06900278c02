"""On a 360 px phone: an officer issues a notice, a member sees the badge, opens it from the inbox, and is counted."""

import pytest
from playwright.sync_api import expect

from notices.models import Notice, NoticeRead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER_THAN_PHONE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
    .map(e => e.tagName + '.' + e.className).slice(0, 10)"""


def test_a_notice_goes_from_the_officers_phone_to_the_members_inbox(live_server, tree, phones):
    officer = phones(live_server.url, "officer_a")
    officer.goto(f"{live_server.url}/notices/new/")
    officer.fill("input[name=title]", "Họp chi bộ mở rộng")
    officer.fill("textarea[name=body]", "Tối thứ sáu, 19 giờ, tại nhà văn hoá thôn.")
    officer.click("form.form button[type=submit]")
    expect(officer.locator(".read-rates")).to_be_visible()
    assert officer.evaluate(WIDER_THAN_PHONE) == []
    notice = Notice.objects.get()

    member = phones(live_server.url, "member_a1")
    expect(member.locator(".notifications-link .badge")).to_have_text("1")
    member.click(".notifications-link")
    expect(member.locator(".inbox")).to_be_visible()
    assert member.evaluate(WIDER_THAN_PHONE) == []
    member.click(".inbox .list-main")

    expect(member.locator("h1")).to_have_text("Họp chi bộ mở rộng")
    assert member.url.endswith(f"/notices/{notice.pk}/")
    assert NoticeRead.objects.filter(notice=notice, user=tree.users["member_a1"]).exists()
    expect(member.locator(".notifications-link .badge")).to_have_count(0)
