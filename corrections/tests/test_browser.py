"""A date-of-birth correction from a phone, in a real browser: member asks, secretary confirms, officer approves."""

import pytest
from playwright.sync_api import expect

from corrections.models import CorrectionRequest
from corrections.tests.factories import new_birthday

pytestmark = pytest.mark.browser


def test_a_member_corrects_their_date_of_birth_from_a_phone_through_the_secretary_and_the_officer(
    live_server, tree, phones
):
    member = tree.member_a1
    birthday = new_birthday(member)
    shown = birthday.strftime("%d/%m/%Y")

    # The member asks, from the identity section of their record.
    page = phones(live_server.url, "member_a1")
    page.goto(f"{live_server.url}/corrections/my-record/")
    page.click(f"a[href='/corrections/members/{member.pk}/request/identity/']")
    page.fill("input[name=date_of_birth]", birthday.isoformat())
    page.fill("textarea[name=reason]", "Giấy khai sinh ghi ngày khác")
    page.click("form.form button[type=submit]")
    expect(page.locator("#section-identity .pending-value")).to_contain_text(shown)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
    request = CorrectionRequest.objects.get()

    # The cell secretary confirms from their queue.
    page = phones(live_server.url, "secretary_a1")
    page.goto(f"{live_server.url}/corrections/queue/")
    page.click(f"a[href='/corrections/requests/{request.pk}/']")
    page.select_option("select[name=decision]", "confirm")
    page.click("form.form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()

    # The commune officer approves.
    page = phones(live_server.url, "officer_a")
    page.goto(f"{live_server.url}/corrections/queue/")
    page.click(f"a[href='/corrections/requests/{request.pk}/']")
    page.select_option("select[name=decision]", "approve")
    page.fill("form.form textarea[name=reason]", "Đã đối chiếu giấy khai sinh")
    page.click("form.form button[type=submit]")
    expect(page.locator(".current-value")).to_contain_text(shown)

    # The member sees the new value, the decision and the change in the history.
    page = phones(live_server.url, "member_a1")
    page.goto(f"{live_server.url}/corrections/my-record/")
    expect(page.locator("#section-identity")).to_contain_text(shown)
    expect(page.locator("#section-identity .pending-value")).to_have_count(0)
    expect(page.locator("#notifications")).to_contain_text("Đã đối chiếu giấy khai sinh")
    expect(page.locator("#history")).to_contain_text(shown)
    expect(page.locator("#history")).to_contain_text(f"#{request.pk}")
