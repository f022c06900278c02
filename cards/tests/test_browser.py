"""The electronic card on a phone at 360 px: the member opens it, the QR and the card fit the screen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from cards.services import photo_upload
from common.tests.test_browser_phone_pages import visit

from .endpoints import JPEG

pytestmark = pytest.mark.browser


def test_the_member_shows_the_card_on_a_phone(live_server, tree, phones):
    upload = SimpleUploadedFile("anh.jpg", JPEG, content_type="image/jpeg")
    photo_upload(actor=tree.users["secretary_a1"], member=tree.member_a1, upload=upload)
    member = phones(live_server.url, "member_a1")

    visit(member, f"{live_server.url}/cards/mine/", with_menu=False)

    expect(member.locator(".member-card")).to_contain_text(tree.member_a1.full_name)
    expect(member.locator(".card-qr svg")).to_be_visible()
    box = member.locator(".card-qr svg").bounding_box()
    assert box["width"] >= 150, "a QR an officer's phone can read"


def test_the_officers_check_and_photo_pages_fit_a_phone(live_server, tree, phones):
    officer = phones(live_server.url, "officer_a")
    for path in ("/cards/photos/", f"/cards/members/{tree.member_a1.pk}/", "/cards/check/?t=forged"):
        visit(officer, f"{live_server.url}{path}", with_menu=False)
