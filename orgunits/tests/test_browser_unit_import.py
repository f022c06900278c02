"""On a phone (360 px), an officer imports units: a wrong file names its rows, a right one is imported."""

import pytest
from playwright.sync_api import expect

from accounts.officers.tests.test_browser_officers_import import choose_file
from common.tests.test_browser_phone_pages import assert_fits_a_phone
from orgunits.models import Unit

pytestmark = pytest.mark.browser

UNITS = (
    "Mã tổ chức,Tên tổ chức,Loại tổ chức,Mã tổ chức cấp trên,Mã địa bàn\n"
    "XA-GR1,Đảng bộ Trường Trung học cơ sở Nguyễn Trãi,Đảng bộ cơ sở,XA,\nXA-GR1-C1,Chi bộ giáo viên,attached_cell,XA-GR1,\n"
)


def test_an_officer_on_a_phone_imports_units_and_a_wrong_file_names_its_rows(live_server, tree, phones):
    page = phones(live_server.url, "officer_a")
    page.goto(f"{live_server.url}/units/import/")
    assert_fits_a_phone(page)

    choose_file(page, "units.csv", UNITS + "XA-X,,castle,NOPE,\n")
    expect(page.locator("#problems-title")).to_be_visible()
    assert_fits_a_phone(page)
    choose_file(page, "units.csv", UNITS)
    assert_fits_a_phone(page)
    page.fill("textarea[name=reason]", "QĐ 5")
    page.click("form[action$='/units/import/commit/'] button[type=submit]")

    expect(page.locator("h1")).to_have_count(1)
    assert_fits_a_phone(page)
    assert Unit.objects.filter(code__in=["XA-GR1", "XA-GR1-C1"]).count() == 2
