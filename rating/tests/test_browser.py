"""The rating on a phone at 360 px: the member files the self-review; the pages fit without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from rating.choices import Stage
from rating.models import MemberRating

from .factories import REVIEW, issue

pytestmark = pytest.mark.browser


def test_a_member_files_the_self_review_on_a_phone(live_server, tree, phones):
    campaign = issue(tree)
    rating = MemberRating.objects.get(campaign=campaign, member=tree.member_a1)
    member = phones(live_server.url, "member_a1")

    visit(member, f"{live_server.url}/rating/", with_menu=False)
    member.click(f"a[href='/rating/{rating.pk}/']")
    member.wait_for_url(f"**/rating/{rating.pk}/")
    member.wait_for_load_state()
    assert_fits_a_phone(member)
    member.fill("textarea[name=strengths]", REVIEW["strengths"])
    member.fill("textarea[name=remedies]", REVIEW["remedies"])
    member.fill("input[name=points]", "86")
    member.select_option("select[name=self_grade]", "good")
    member.click("button[type=submit].button-primary >> nth=-1")
    # The filed review redirects to the same address, so wait for the confirmation, not the URL.
    expect(member.locator(".message-success")).to_be_visible()

    rating.refresh_from_db()
    assert (rating.stage, rating.points) == (Stage.SELF_REVIEWED, 86)
    assert_fits_a_phone(member)


def test_the_committees_rating_pages_fit_a_phone(live_server, tree, phones):
    campaign = issue(tree)
    officer = phones(live_server.url, "officer_a")
    for path in ("/rating/", f"/rating/campaigns/{campaign.pk}/", "/rating/issue/"):
        visit(officer, f"{live_server.url}{path}", with_menu=False)
