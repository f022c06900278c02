"""On phones, at 360 px: the village head files the village's report to the People's Committee; the Culture–Society
officer issues the campaign and reads its table; the commune's administrator keeps the organisations and roles."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from reports.choices import SubmissionState

from .test_state_bodies import issue, report_of, ward  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def test_the_committees_campaign_on_phones(live_server, tree, ward, phones):  # noqa: F811
    campaign = issue(ward, target_kind="village,agency")
    village_report = report_of(campaign, tree.village_a1)

    head = phones(live_server.url, "truongthon_1")
    visit(head, f"{live_server.url}/reports/")
    head.click(f"a[href='/reports/submissions/{village_report.pk}/']")
    assert_fits_a_phone(head)
    head.fill("input[name=households]", "5")
    head.click("button[name=action][value=submit]")
    expect(head.locator(".report-state-submitted")).to_be_visible()
    village_report.refresh_from_db()
    assert village_report.state == SubmissionState.SUBMITTED

    officer = phones(live_server.url, "vanhoa_xa")
    for path in ("/reports/", "/reports/campaigns/new/places/", f"/reports/campaigns/{campaign.pk}/"):
        visit(officer, f"{live_server.url}{path}")
    expect(officer.locator(".report-table")).to_contain_text("Công an xã A")

    admin = phones(live_server.url, "admin_a")
    for path in ("/units/organisations/", "/units/organisations/UBND-XA/", "/officers/civic/"):
        visit(admin, f"{live_server.url}{path}")
