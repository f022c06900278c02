"""Residence registration on a phone at 360 px: the member asks, the residential cell's secretary decides."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from residence.models import Registration

pytestmark = pytest.mark.browser


def test_the_member_asks_to_register_and_the_secretary_sees_it_on_a_phone(live_server, tree, teachers, phones):
    member = phones(live_server.url, "teacher")
    visit(member, f"{live_server.url}/residence/", with_menu=False)
    member.click("a[href='/residence/register/']")
    expect(member.locator("form.form")).to_be_visible()
    assert_fits_a_phone(member)
    member.click("form.form button[type=submit]")  # the home village's cell is filled in
    expect(member.locator(".message-success")).to_be_visible()
    registration = Registration.objects.get()
    assert registration.residential_unit == tree.cell_a1

    secretary = phones(live_server.url, "secretary_a1")
    for path in ("/residence/", f"/residence/{registration.pk}/"):
        visit(secretary, f"{live_server.url}{path}", with_menu=False)
