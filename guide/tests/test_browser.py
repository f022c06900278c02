"""The procedure guide on a phone at 360 px: the member searches without diacritics and reads the steps."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit

from .factories import write

pytestmark = pytest.mark.browser


def test_the_member_searches_the_guide_and_reads_a_procedure_on_a_phone(live_server, tree, phones):
    entry = write(tree)
    member = phones(live_server.url, "member_a1")
    visit(member, f"{live_server.url}/guide/", with_menu=False)

    member.fill("input[name=q]", "chuyen sinh hoat")
    member.click(".guide-search button[type=submit]")
    member.click(f"a[href='/guide/{entry.pk}/']")

    expect(member.locator(".guide-steps li")).to_have_count(4)
    assert_fits_a_phone(member)
