"""The whole path a commune officer takes, in a real browser: Debian's chromium driven by Playwright."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from common.tests.browser import open_menu

pytestmark = pytest.mark.browser


def test_an_officer_signs_in_and_finds_a_member_by_a_name_typed_without_diacritics(live_server, tree, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("Đảng bộ xã A")

    open_menu(page)

    page.click(".site-nav a[href='/members/']")
    page.fill("input[name=q]", "nguyen van an")

    results = page.locator("#results")
    expect(results).to_contain_text("Nguyễn Văn An")
    expect(results).not_to_contain_text("Trần Thị Bình")
    assert parse_qs(urlparse(page.url).query)["q"] == ["nguyen van an"], "the live search keeps the address shareable"
