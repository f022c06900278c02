"""In chromium, the pages work under the Content-Security-Policy: nothing on them is refused."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEMBER_PAGES = ["/handbook/", "/meetings/", "/library/", "/notices/", "/questions/", "/corrections/my-record/"]
OFFICER_PAGES = ["/members/", "/rollout/", "/members/quality/", "/reports/", "/api/docs"]


def refusals_on(page, urls: list[str], base_url: str) -> list[str]:
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    for url in urls:
        response = page.goto(base_url + url)
        assert response.ok, url
        page.wait_for_load_state("networkidle")
    return refused


def test_a_members_pages_run_under_the_policy(live_server, tree, phones):
    page = phones(live_server.url, "member_a1")

    assert refusals_on(page, MEMBER_PAGES, live_server.url) == []


def test_an_officers_pages_and_the_api_docs_run_under_the_policy(live_server, tree, phones):
    page = phones(live_server.url, "officer_a")

    assert refusals_on(page, OFFICER_PAGES, live_server.url) == []
    # The API docs are drawn by their script, from our own files.
    expect(page.locator(".swagger-ui")).to_be_visible()


def test_the_check_ins_scan_time_is_filled_by_our_script(live_server, tree, phones):
    from meetings.tests.factories import started_meeting
    from meetings.tokens import token_issue

    meeting = started_meeting(unit=tree.cell_a1)
    page = phones(live_server.url, "member_a1")

    page.goto(f"{live_server.url}/meetings/check-in/?t={token_issue(meeting_id=meeting.pk)}")

    expect(page.locator("input[name=scanned_at]")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT"))
