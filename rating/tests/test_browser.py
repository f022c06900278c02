"""The rating on a phone at 360 px: the member files the self-review; the pages fit without sideways scrolling."""

import pytest

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
    assert_fits_a_phone(member)
    member.fill("textarea[name=strengths]", REVIEW["strengths"])
    member.fill("textarea[name=remedies]", REVIEW["remedies"])
    member.fill("input[name=points]", "86")
    member.select_option("select[name=self_grade]", "good")
    member.click("button[type=submit].button-primary >> nth=-1")
    member.wait_for_url(f"**/rating/{rating.pk}/")

    rating.refresh_from_db()
    assert (rating.stage, rating.points) == (Stage.SELF_REVIEWED, 86)
    assert_fits_a_phone(member)


def test_the_committees_rating_pages_fit_a_phone(live_server, tree, phones):
    campaign = issue(tree)
    officer = phones(live_server.url, "officer_a")
    for path in ("/rating/", f"/rating/campaigns/{campaign.pk}/", "/rating/issue/"):
        visit(officer, f"{live_server.url}{path}", with_menu=False)
