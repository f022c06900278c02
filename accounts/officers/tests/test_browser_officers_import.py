"""On a phone (360 px), an administrator imports officers and prints their slips."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from common.tests.test_browser_phone_pages import assert_fits_a_phone

pytestmark = pytest.mark.browser

OFFICERS = (
    "Tên đăng nhập,Họ và tên,Số điện thoại,Mã tổ chức,Vai trò\nhoang.lan,Hoàng Thị Lan,0912345601,XA-C1,Bí thư chi bộ\n"
)


def choose_file(page, name: str, text: str) -> None:
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}])
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()


def test_an_administrator_on_a_phone_imports_officers_and_opens_their_slips(live_server, tree, phones):
    page = phones(live_server.url, "admin_a")
    page.goto(f"{live_server.url}/officers/")
    assert_fits_a_phone(page)

    choose_file(page, "officers.csv", OFFICERS)
    assert_fits_a_phone(page)
    page.fill("textarea[name=reason]", "QĐ 12")
    page.click("form[action$='/officers/commit/'] button[type=submit]")

    expect(page.locator(".slip-code")).to_have_count(1)
    assert_fits_a_phone(page)
    page.click("a[href$='/officers/slips/']")
    expect(page.locator(".slip")).to_have_count(1)
    assert User.objects.filter(username="hoang.lan").exists()
