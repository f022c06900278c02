"""The installable app on a phone: the service worker takes control and serves the record card offline."""

import pytest
from playwright.sync_api import expect

from common.tests.browser import open_menu

pytestmark = pytest.mark.browser

CONTROLLED = "() => navigator.serviceWorker.controller !== null"


def wait_until(page, expression: str, timeout_ms: int = 15_000):
    """Poll a page expression (it may return a promise, which page.evaluate awaits) until it is truthy."""
    for _attempt in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def signed_in_and_controlled(phones, live_server, username="member_a1"):
    page = phones(live_server.url, username)
    page.goto(f"{live_server.url}/handbook/")
    page.wait_for_function(CONTROLLED, timeout=15_000)
    return page


def test_the_service_worker_serves_the_record_card_offline(live_server, tree, phones):
    from meetings.tests.factories import make_meeting

    # Given a member signed in on a phone, whose home (the record card) and full record were opened once
    from notices.models import NoticeRead
    from notices.tests.factories import make_news

    meeting = make_meeting(unit=tree.cell_a1, topic="Sinh hoạt chi bộ tháng 12")
    news = make_news(tree, title="Xã A khánh thành nhà văn hoá thôn 1")
    page = signed_in_and_controlled(phones, live_server)
    page.reload()  # now through the worker, which keeps a copy, and the next meeting's page too
    expect(page.locator(".record-card .card-number")).to_have_text(tree.member_a1.card_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    meeting_url = f"{live_server.url}/meetings/{meeting.pk}/"
    wait_until(page, f"caches.open('sotay-data').then((cache) => cache.match('{meeting_url}')).then(Boolean)")
    news_url = f"{live_server.url}/notices/{news.pk}/"
    wait_until(page, f"caches.open('sotay-data').then((cache) => cache.match('{news_url}')).then(Boolean)")
    assert not NoticeRead.objects.filter(notice=news).exists()  # kept ahead, not read
    page.goto(f"{live_server.url}/me/")
    expect(page.locator("h1")).to_be_visible()

    # When the phone loses its connection and the member reloads the record card
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/handbook/")

    # Then it is served from the phone, as it was
    assert page.evaluate("navigator.onLine") is False
    expect(page.locator(".record-card .card-number")).to_have_text(tree.member_a1.card_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{live_server.url}/me/")
    expect(page.get_by_text("Nguyễn Văn An").first).to_be_visible()
    # and so is the next meeting, never opened but kept from the home
    page.goto(meeting_url)
    expect(page.get_by_text("Sinh hoạt chi bộ tháng 12").first).to_be_visible()
    # and the news the home lists, with its picture
    page.goto(news_url)
    expect(page.locator("h1")).to_have_text("Xã A khánh thành nhà văn hoá thôn 1")
    assert page.evaluate("document.querySelector('.news-picture-large').naturalWidth") == 8
    # and a page never opened shows the offline page
    page.goto(f"{live_server.url}/questions/faq/")
    expect(page.locator(".notice-warning")).to_be_visible()


def test_signing_out_forgets_the_kept_pages(live_server, tree, phones):
    page = signed_in_and_controlled(phones, live_server)
    page.reload()
    wait_until(page, "caches.has('sotay-data')")

    open_menu(page)

    page.click(".site-nav form button[type=submit]")
    page.wait_for_url("**/login/**")

    assert page.evaluate("caches.has('sotay-data')") is False
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/handbook/")
    expect(page.locator(".notice-warning")).to_be_visible()  # the offline page, not the member's home
    expect(page.locator(".record-card")).to_have_count(0)


def test_a_check_in_made_offline_is_sent_when_the_connection_returns(live_server, tree, phones):
    from meetings.choices import Presence
    from meetings.models import Attendance
    from meetings.tests.factories import started_meeting
    from meetings.tokens import token_issue

    # Given a member's phone controlled by the worker, on the check-in page of a meeting that has begun
    meeting = started_meeting(unit=tree.cell_a1)
    page = signed_in_and_controlled(phones, live_server)
    page.goto(f"{live_server.url}/meetings/check-in/?t={token_issue(meeting_id=meeting.pk)}")

    # When the connection drops before they tap "check in"
    page.context.set_offline(True)
    page.click(".check-in-form button[type=submit]")

    # Then the check-in is kept on the phone, not lost...
    expect(page.locator(".notice-warning")).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    assert not Attendance.objects.filter(meeting=meeting, member=tree.member_a1, presence=Presence.PRESENT).exists()

    # ...and sent once the connection returns and a page of the app opens
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/handbook/")
    wait_until(
        page,
        """new Promise((resolve) => {
            const open = indexedDB.open("sotay", 1);
            open.onsuccess = () => {
                const request = open.result.transaction("checkins").objectStore("checkins").count();
                request.onsuccess = () => resolve(request.result === 0);
            };
        })""",
    )
    attendance = Attendance.objects.get(meeting=meeting, member=tree.member_a1)
    assert attendance.presence == Presence.PRESENT


def test_chromium_finds_the_app_installable(live_server, tree, phones):
    page = signed_in_and_controlled(phones, live_server)
    page.reload()

    session = page.context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifest = session.send("Page.getAppManifest")

    # Playwright's contexts are incognito, where Chromium never offers to install; nothing else stands in the way.
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == [], errors
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert not manifest.get("errors"), manifest.get("errors")


def test_the_install_is_reported_to_the_rollout_figures(live_server, tree, phones):
    from accounts.models import AccountUse

    page = signed_in_and_controlled(phones, live_server)
    assert not AccountUse.objects.filter(user=tree.users["member_a1"], app_installed_at__isnull=False).exists()

    # Chromium fires 'appinstalled' when the member accepts the install prompt
    page.evaluate("window.dispatchEvent(new Event('appinstalled'))")

    page.wait_for_function("() => sessionStorage.getItem('sotay-installed') === '1'")
    assert AccountUse.objects.get(user=tree.users["member_a1"]).app_installed_at is not None


def test_large_text_turned_on_from_the_home_applies_at_once_and_still_fits_the_phone(live_server, tree, phones):
    page = phones(live_server.url, "member_a1")
    page.goto(f"{live_server.url}/handbook/")

    page.click(".display-settings summary")
    page.check("input[name=is_large_text]")  # htmx saves it and reloads the page

    expect(page.locator("link[href$='handbook/large-text.css']")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    page.click(".display-settings summary")
    page.check("input[name=is_high_contrast]")
    expect(page.locator("link[href$='handbook/high-contrast.css']")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
