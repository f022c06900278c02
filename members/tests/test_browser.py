"""The whole path a commune officer takes, in a real browser: Debian's chromium driven by Playwright."""

import os
import shutil
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

from accounts.tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium")
# The closed network here refuses chromium's own calls home; these flags stop it making them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser test: `make browser` installs Debian's chromium.")


@pytest.fixture
def phone_page(monkeypatch):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (`make browser` installs it)")
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 780}, locale="vi-VN")
        yield page
        browser.close()


def test_an_officer_signs_in_and_finds_a_member_by_a_name_typed_without_diacritics(live_server, tree, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("Đảng bộ xã A")

    page.click(".site-nav a[href='/members/']")
    page.fill("input[name=q]", "nguyen van an")

    results = page.locator("#results")
    expect(results).to_contain_text("Nguyễn Văn An")
    expect(results).not_to_contain_text("Trần Thị Bình")
    assert parse_qs(urlparse(page.url).query)["q"] == ["nguyen van an"], "the live search keeps the address shareable"
