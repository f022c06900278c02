"""Transfers on a phone at 360 px: the member applies; the committee and the receiving cell's pages fit without
sideways scrolling."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from transfers.choices import Stage
from transfers.models import Transfer

from .factories import MOVES_ON, REASON, apply, issued

pytestmark = pytest.mark.browser


def test_a_member_applies_to_transfer_on_a_phone(live_server, tree, phones):
    member = phones(live_server.url, "member_a1")

    visit(member, f"{live_server.url}/transfers/", with_menu=False)
    member.click("a[href='/transfers/apply/']")
    expect(member.locator("form.form")).to_be_visible()
    assert_fits_a_phone(member)
    member.check("input[name=kind][value=official]")
    member.fill("input[name=to_unit]", tree.cell_a2.code)
    member.fill("input[name=moves_on]", MOVES_ON.isoformat())
    member.fill("textarea[name=reason]", REASON)
    member.click("form.form button[type=submit]")

    expect(member.locator(".message-success")).to_be_visible()
    transfer = Transfer.objects.get()
    assert (transfer.member, transfer.to_unit, transfer.stage) == (tree.member_a1, tree.cell_a2, Stage.APPLIED)
    assert_fits_a_phone(member)


def test_the_committees_and_the_receiving_cells_pages_fit_a_phone(live_server, tree, phones):
    waiting = apply(tree, member=tree.member_a2, actor=tree.users["officer_a"], to_unit=tree.cell_a1)
    letter = issued(tree)
    officer = phones(live_server.url, "officer_a")
    for path in ("/transfers/", f"/transfers/{waiting.pk}/", "/transfers/incoming/", f"/transfers/{letter.pk}/"):
        visit(officer, f"{live_server.url}{path}", with_menu=False)
    expect(officer.locator(".letter .qr svg")).to_be_visible()  # the letter's page, last
