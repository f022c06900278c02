"""An officer on a phone sets up two-factor sign-in: the QR code shows under the Content-Security-Policy."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.security.tests.test_two_factor import app_code

pytestmark = pytest.mark.browser


def test_an_officer_scans_the_code_types_the_number_and_reaches_the_members(live_server, tree, phones, settings):
    settings.TWO_FACTOR_ENFORCED = True
    refused = []

    page = phones(live_server.url, "officer_a")
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{live_server.url}/members/")

    assert "/security/two-factor/" in page.url
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.qr').naturalWidth") > 0
    device = TOTPDevice.objects.get(user=tree.users["officer_a"], confirmed=False)
    page.fill("input[name=code]", app_code(device))
    page.click("button.button-primary")
    expect(page.locator("ol.recovery-codes li")).to_have_count(10)
    page.click("a.button-primary")

    assert page.url.endswith("/members/")
    expect(page.locator("h1")).to_be_visible()
    assert refused == []
