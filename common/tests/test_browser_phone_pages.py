"""Phone pages at 360 px: no page scrolls sideways and every control is a tap target of at least 44 px.

The member's, the secretary's and the supporter's pages, as each signs in on a phone (issue 21).
"""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_user
from common.tests.browser import open_menu
from meetings.tests.factories import started_meeting
from members.tests.factories import make_member
from notices.tests.factories import make_news
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember
from rollout.services import plan_create

pytestmark = pytest.mark.browser

TAP = 44
# Every control a thumb has to hit. Links inside running text are exempt (WCAG 2.5.8 "inline").
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a, button, summary, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), label:has(> input[type=checkbox]), label:has(> input[type=radio])'
  )].filter(e => {
    const box = e.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(e).visibility === 'hidden') return false;
    if (e.closest('.skip-link')) return false;
    if (e.tagName === 'A' && e.closest('p, li small, .hint, .lead') && !e.classList.contains('button')) return false;
    return box.height < 43.5 || box.width < 43.5;
  }).map(e => `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)"""
TOO_WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 10)"""


def assert_fits_a_phone(page) -> None:
    page.wait_for_load_state()  # after a tap that navigates, measure the new page, not the one unloading
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.evaluate(TOO_WIDE)
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def visit(page, url: str, *, with_menu: bool = True) -> None:
    page.goto(url)
    assert_fits_a_phone(page)
    if with_menu:
        open_menu(page)
        assert_fits_a_phone(page)


def test_the_members_pages_fit_a_phone(live_server, tree, phones):
    meeting = started_meeting(unit=tree.cell_a1, topic="Sinh hoạt chi bộ tháng 12/2026")
    news = make_news(tree, title="Xã A khánh thành nhà văn hoá thôn 1, nơi sinh hoạt chi bộ và hỗ trợ cài đặt Sổ tay")
    member = phones(live_server.url, "member_a1")
    pages = ("/", "/me/", "/meetings/", f"/meetings/{meeting.pk}/", "/notices/", "/questions/mine/", "/library/")
    for path in (*pages, "/notices/news/", f"/notices/{news.pk}/"):
        visit(member, f"{live_server.url}{path}")


def test_the_menu_is_folded_on_a_phone_and_opens_on_a_tap(live_server, tree, phones):
    member = phones(live_server.url, "member_a1")

    menu_links = member.locator(".site-nav a")
    expect(menu_links.first).to_be_hidden()
    header = member.locator(".site-header").bounding_box()
    assert header["height"] <= 0.15 * 780  # the page starts on the first screen

    member.click(".site-menu-button")
    expect(menu_links.first).to_be_visible()


def test_the_secretarys_pages_fit_a_phone(live_server, tree, phones):
    for number in range(12):
        make_member(unit=tree.cell_a1, full_name=f"Đảng viên số {number + 1}")
    meeting = started_meeting(unit=tree.cell_a1, topic="Sinh hoạt chi bộ tháng 12/2026")
    plan_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        number="25-KH/ĐU",
        issued_on=datetime.date(2026, 11, 1),
        title="Kế hoạch hỗ trợ đảng viên cài đặt Sổ tay đảng viên điện tử trên địa bàn xã",
        target_percent=95,
        deadline=datetime.date(2026, 12, 31),
    )
    secretary = phones(live_server.url, "secretary_a1")
    for path in (f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/attendance/", f"/meetings/{meeting.pk}/qr/"):
        visit(secretary, f"{live_server.url}{path}")
    # The secretary's other rounds: the landing page, the cell's roster, its rollout figures (with the commune's
    # plan), who still needs help, its plans and trainings, the corrections waiting for the cell
    rollout = ("/rollout/XA-C1/", "/rollout/XA-C1/pending/", "/rollout/XA-C1/plans/", "/rollout/XA-C1/training/")
    for path in ("/", "/members/", *rollout, "/corrections/queue/"):
        visit(secretary, f"{live_server.url}{path}")


def test_the_secretary_marks_all_present_without_a_reload_and_undoes_it(live_server, tree, phones):
    for number in range(30):
        make_member(unit=tree.cell_a1, full_name=f"Đảng viên số {number + 1}")
    meeting = started_meeting(unit=tree.cell_a1)
    secretary = phones(live_server.url, "secretary_a1")
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    secretary.evaluate("window.notReloaded = true")

    # A mark far down the sheet keeps the phone where it was
    row = secretary.locator(".attendance-row", has_text="Đảng viên số 25")
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name="Vắng không lý do").click()
    expect(row).to_have_attribute("data-presence", "absent")
    assert secretary.evaluate("window.scrollY") > 500
    secretary.get_by_role("button", name="Hoàn tác").click()
    expect(secretary.locator(".attendance-row", has_text="Đảng viên số 25")).to_have_attribute("data-presence", "")

    secretary.get_by_role("button", name="Tất cả có mặt").click()
    expect(secretary.locator(".attendance-row[data-presence=present]")).to_have_count(31)
    secretary.get_by_role("button", name="Hoàn tác").click()
    expect(secretary.locator(".attendance-row[data-presence=present]")).to_have_count(0)
    assert secretary.evaluate("window.notReloaded") is True
    assert_fits_a_phone(secretary)


def test_the_meeting_qr_opens_full_screen(live_server, tree, phones):
    meeting = started_meeting(unit=tree.cell_a1)
    secretary = phones(live_server.url, "secretary_a1")
    secretary.goto(f"{live_server.url}/meetings/{meeting.pk}/qr/")

    secretary.get_by_role("link", name="Phóng to mã QR toàn màn hình").click()

    # The code's frame covers the whole screen, the code as wide as the screen allows
    frame = secretary.locator("#qr-full").bounding_box()
    assert (frame["x"], frame["y"], frame["width"], frame["height"]) == (0, 0, 360, 780)
    assert secretary.locator(".qr-code svg").bounding_box()["width"] >= 0.9 * 360
    secretary.get_by_role("link", name="Thoát toàn màn hình").click()
    assert secretary.locator("#qr-full").bounding_box()["height"] < 780


def test_the_supporters_pages_fit_a_phone(live_server, tree, phones):
    for number in range(30):
        make_member(unit=tree.cell_a2, full_name=f"Người cần hỗ trợ {number + 1}")
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    page = phones(live_server.url, "supporter_a")
    visit(page, f"{live_server.url}/")
    visit(page, f"{live_server.url}/rollout/")
    visit(page, f"{live_server.url}/rollout/teams/{team.pk}/")

    # One page of the worklist, not all of it: the page stays short enough to use
    height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator(".worklist .list-row").count() == 20
    assert height < 20000
    page.click(".session-panel summary")
    assert_fits_a_phone(page)


def test_on_a_wide_screen_the_menu_is_open_without_a_tap(live_server, tree, chromium):
    from accounts.tests.factories import PASSWORD

    page = chromium.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "member_a1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    expect(page.locator(".site-menu-button")).to_be_hidden()
    expect(page.locator(".site-nav a[href='/meetings/']")).to_be_visible()


# Text nodes that hold a date or a number, and how many lines each is laid out on.
SPLIT_DATES_AND_NUMBERS = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\d{1,2}\/\d{1,2}\/\d{4}|\d[\d.,]{3,}\d/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (tops.size > 1) found.push(match[0]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("size", ["100%", "150%", "200%"])
def test_large_text_never_splits_a_date_or_a_number(live_server, tree, phones, size):
    member = phones(live_server.url, "member_a1")
    for path in ("/", "/me/"):
        member.goto(f"{live_server.url}{path}")
        # The phone's text size, set through the CSS object model (the CSP refuses inline styles, not this)
        member.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        assert member.evaluate(SPLIT_DATES_AND_NUMBERS) == [], (path, size)
        assert member.evaluate("document.documentElement.scrollWidth") <= 360, (path, size)
