"""A supporter on a phone-sized screen logs a help session in three taps, and the unit's figure moves."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, make_user
from common.tests.browser import PHONE, open_menu
from common.tests.test_browser_phone_pages import assert_fits_a_phone
from demo import world as demo
from demo.tests.test_demo import load
from members.models import RecordAccess
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember
from rollout.selectors import unit_figures

pytestmark = pytest.mark.browser


def test_a_supporter_on_a_phone_logs_a_help_session_and_the_communes_figure_moves(live_server, tree, phone_page):
    # Given a support team of commune A with one supporter (not a party member)
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    assert unit_figures(unit=tree.commune_a).help_sessions == 0
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "supporter_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    # When they open their team's worklist and tap: the member, where, what (outcome defaults to done)
    open_menu(page)
    page.click(".site-nav a[href='/rollout/']")
    page.click(f"a[href='/rollout/teams/{team.pk}/']")
    page.get_by_role("checkbox", name="Trần Thị Bình").check()
    page.click(".session-panel summary")
    page.locator("input[name=place][value=home]").check()
    page.locator("input[name=topic][value=install]").check()
    page.click(".help-session-form button.button-primary")

    # Then the session is recorded and the commune's figure has moved
    expect(page.locator(".messages")).to_be_visible()
    assert unit_figures(unit=tree.commune_a).help_sessions == 1
    assert unit_figures(unit=tree.cell_a2).help_sessions == 1
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right).slice(0, 10)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide


def test_a_supporter_taps_a_masked_number_on_the_worklist_and_gets_the_number_to_call(live_server, tree, phones):
    # Given a support team of commune A whose worklist holds Trần Thị Bình, shown with her phone masked
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    phone = tree.member_a2.phone
    page = phones(live_server.url, "supporter_a")
    page.goto(f"{live_server.url}/rollout/teams/{team.pk}/")
    assert phone not in page.content()

    # When they tap "show the number" beside her name (inside the help-session form, whose fields stay empty)
    page.click(f"button[formaction='/rollout/teams/{team.pk}/phone/{tree.member_a2.pk}/']")

    # Then the next page offers the full number to call, and the reveal is in the access log
    expect(page.locator(f"a[href='tel:{phone}']")).to_be_visible()
    assert RecordAccess.objects.filter(actor=supporter, member=tree.member_a2, kind="phone").count() == 1


# The demo ward's rollout page on a phone: 20,600 px tall in issue 21 (a 150-row table and 20 bars); a volunteer scrolls
# through the tiles, the trend and the ten units furthest behind, and opens the table when needed.
PAGE_HEIGHT_BOUND = 6000


def test_the_demo_wards_rollout_page_is_short_enough_to_use_on_a_phone(live_server, chromium, settings):
    settings.TWO_FACTOR_ENFORCED = False  # the ward officer signs in with a password only, as `make run` can
    load(members=1500, cells=144)  # the demo ward's 144 cells
    page = chromium.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/login/?next=/rollout/{demo.LARGE_CODE}/")
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/rollout/{demo.LARGE_CODE}/")
    height = page.evaluate("document.documentElement.scrollHeight")

    assert height < PAGE_HEIGHT_BOUND, height
    assert_fits_a_phone(page)
    assert page.locator(".bar-chart .bar-row").count() == 10

    # The table opens on a tap, one page of 20 units, the page still no wider than the phone
    page.click(".units-table summary")
    expect(page.locator(".units-table tbody tr")).to_have_count(20)
    assert_fits_a_phone(page)
    page.get_by_role("link", name="Trang sau").click()
    expect(page.locator(".units-table")).to_have_attribute("open", "")
    expect(page.locator(".units-table tbody tr")).to_have_count(20)
