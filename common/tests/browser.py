"""Phones for browser tests: Debian's chromium driven by Playwright, at 360 px, in Vietnamese.

Registered as a pytest plugin by the root conftest, so every app's browser tests share these fixtures.
"""

import os
import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

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
PHONE = {"viewport": {"width": 360, "height": 780}, "locale": "vi-VN"}

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser tests: `make browser` installs Debian's chromium.")


@pytest.fixture
def chromium(monkeypatch):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (`make browser` installs it)")
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Inside Playwright the test's ORM calls run in another context with their own database connection;
        # close it here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


@pytest.fixture
def phone_page(chromium):
    return chromium.new_page(**PHONE)


@pytest.fixture
def phones(chromium):
    """A function opening a fresh phone (its own cookies) signed in as a user."""

    def open_as(base_url, username):
        page = chromium.new_context(**PHONE).new_page()
        page.goto(f"{base_url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return open_as


def open_menu(page) -> None:
    """On a phone the main menu is folded behind its "Menu" button (templates/base.html): open it."""
    menu = page.locator("details.site-menu")
    if menu.count() and not menu.evaluate("details => details.open"):
        page.click(".site-menu-button")
