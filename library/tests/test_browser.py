"""A member on a phone finds a document by typing without accents, opens it and bookmarks it; an officer publishes one."""

import pytest
from playwright.sync_api import expect

from common.tests.browser import open_menu
from library.models import Bookmark, Document, DocumentRead
from library.tests.factories import PDF_BYTES, make_document, pdf_upload

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth"


def test_a_member_on_a_phone_searches_without_accents_opens_and_bookmarks_a_document(live_server, tree, phones):
    # Given two documents published to commune A
    wanted = make_document(
        unit=tree.commune_a,
        title="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        number="57-NQ/TW",
        upload=pdf_upload("Nghị quyết 57-NQ-TW.pdf"),
    )
    make_document(unit=tree.commune_a, title="Hướng dẫn sinh hoạt chi bộ tháng 8")
    page = phones(live_server.url, "member_a1")

    # When the member opens the library and types words without accents
    open_menu(page)
    page.click(".site-nav a[href='/library/']")
    page.fill("input[name=q]", "chuyen doi so")
    expect(page.locator("#results .list-row")).to_have_count(1)
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= 360

    # And opens the document and taps the bookmark button
    page.click("#results .list-row")
    expect(page.locator("h1")).to_contain_text("Nghị quyết về đột phá")
    page.click("#bookmark-form button")
    expect(page.locator("#bookmark-form button[aria-pressed=true]")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= 360

    # Then the read and the bookmark are recorded, and the PDF opens from its stable address
    assert DocumentRead.objects.get(document=wanted, member=tree.member_a1).read_count == 1
    assert Bookmark.objects.filter(user=tree.users["member_a1"], document=wanted).exists()
    response = page.request.get(f"{live_server.url}/library/{wanted.pk}/file/")
    assert response.ok
    assert response.body() == PDF_BYTES
    assert response.headers["cache-control"].startswith("private")


def test_an_officer_on_a_phone_publishes_a_pdf(live_server, tree, phones, tmp_path):
    pdf = tmp_path / "chi-thi-05.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = phones(live_server.url, "officer_a")

    page.goto(f"{live_server.url}/library/publish/")
    page.fill("input[name=unit]", tree.commune_a.code)
    page.fill("input[name=number]", "05-CT/ĐU")
    page.fill("input[name=issued_on]", "2025-08-01")
    page.fill("input[name=issuing_body]", "Đảng ủy xã A")
    page.select_option("select[name=kind]", "directive")
    page.fill("input[name=title]", "Chỉ thị về đại hội chi bộ nhiệm kỳ 2025–2027")
    page.set_input_files("input[name=file]", str(pdf))
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= 360
    page.click("form.form button[type=submit]")

    expect(page.locator(".messages")).to_be_visible()
    document = Document.objects.get(number="05-CT/ĐU")
    assert document.file_name == "chi-thi-05.pdf"
    assert page.url.endswith(f"/library/{document.pk}/")
