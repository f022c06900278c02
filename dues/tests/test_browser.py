"""The dues pages on a phone at 360 px: nothing scrolls sideways and every control is a tap target."""

import datetime

import pytest

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from dues.services import bank_account_set

from .factories import pay, pension_of

pytestmark = pytest.mark.browser


@pytest.fixture
def dues_year(tree):
    pension_of(tree.member_a1)
    pay(tree.member_a1, datetime.date(2026, 11, 1), amount=10_000)
    bank_account_set(
        actor=None, unit=tree.cell_a1, bank_bin="970436", account_number="0011004455667", account_name="CHI BO THON 1"
    )


def test_the_members_dues_pages_fit_a_phone(live_server, tree, phones, dues_year):
    member = phones(live_server.url, "member_a1")
    for path in ("/dues/mine/", "/dues/mine/qr/?month=2026-11"):
        visit(member, f"{live_server.url}{path}")


def test_the_secretarys_dues_pages_fit_a_phone(live_server, tree, phones, dues_year):
    secretary = phones(live_server.url, "secretary_a1")
    for path in (
        "/dues/cells/XA-C1/?month=2026-11",
        f"/dues/members/{tree.member_a1.pk}/",
        "/dues/units/XA/",
        "/dues/cells/XA-C1/statement/",
    ):
        visit(secretary, f"{live_server.url}{path}", with_menu=False)
    secretary.goto(f"{live_server.url}/dues/cells/XA-C1/?month=2026-11")
    secretary.click("details.dues-form > summary")
    assert_fits_a_phone(secretary)
