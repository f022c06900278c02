"""The library pages as members and officials use them."""

import datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import make_user
from common.tests.clients import english_client
from library.models import Bookmark, Document, DocumentRead
from library.services import document_read_record, document_withdraw
from library.tests.factories import PDF_BYTES, make_document, pdf_upload
from members.tests.factories import make_member
from notifications.models import Notification


def signed_in(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def member(tree) -> Client:
    return signed_in(tree.users["member_a1"])


def test_the_navigation_links_the_library_for_members(tree, member):
    page = member.get(reverse("handbook:my_record")).content.decode()

    assert f'href="{reverse("library:list")}"' in page


def test_a_member_lists_the_documents_of_their_places_only(tree, member):
    make_document(unit=tree.commune_a, title="Nghị quyết của xã A")
    make_document(unit=tree.commune_b, title="Nghị quyết của xã B")

    page = member.get(reverse("library:list")).content.decode()

    assert "Nghị quyết của xã A" in page
    assert "Nghị quyết của xã B" not in page


def test_searching_without_diacritics_returns_only_the_results_to_htmx(tree, member):
    make_document(unit=tree.commune_a, title="Chỉ thị về phòng chống tham nhũng")
    make_document(unit=tree.commune_a, title="Hướng dẫn sinh hoạt chi bộ")

    response = member.get(reverse("library:list"), {"q": "tham nhung"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "Chỉ thị về phòng chống tham nhũng" in page
    assert "Hướng dẫn sinh hoạt chi bộ" not in page
    assert "<html" not in page


def test_filters_by_type_and_year(tree, member):
    make_document(unit=tree.commune_a, title="Chỉ thị năm 2024", kind="directive", issued_on=datetime.date(2024, 5, 2))
    make_document(unit=tree.commune_a, title="Nghị quyết năm 2025", issued_on=datetime.date(2025, 5, 2))

    page = member.get(reverse("library:list"), {"kind": "directive", "year": "2024"}).content.decode()

    assert "Chỉ thị năm 2024" in page
    assert "Nghị quyết năm 2025" not in page
    assert "02/05/2024" in page


@override_settings(LIBRARY_PAGE_SIZE=2)
def test_the_list_is_paginated(tree, member):
    for number in range(5):
        make_document(unit=tree.commune_a, title=f"Tài liệu {number}")

    response = member.get(reverse("library:list"), {"page": 3})

    assert response.context["page"].number == 3
    assert len(response.context["page"].object_list) == 1
    assert "Page 3 of 3" in response.content.decode()


def test_the_list_takes_the_same_number_of_queries_for_many_documents(tree, member):
    make_document(unit=tree.commune_a)
    with CaptureQueriesContext(connection) as few:
        member.get(reverse("library:list"))
    for _number in range(10):
        make_document(unit=tree.cell_a1, issuing_body=f"Cơ quan {_number}")
    cache.clear()  # the roles kept between requests: read them again, as the first visit did

    with CaptureQueriesContext(connection) as many:
        member.get(reverse("library:list"))

    assert len(many) == len(few)


def test_opening_a_document_records_the_members_read(tree, member):
    document = make_document(unit=tree.commune_a, title="Nghị quyết 57", summary="Tóm tắt ngắn")

    member.get(reverse("library:detail", args=[document.pk]))
    response = member.get(reverse("library:detail", args=[document.pk]))

    read = DocumentRead.objects.get(document=document, member=tree.member_a1)
    assert read.read_count == 2
    assert "opened 2 times" in response.content.decode()
    assert "Tóm tắt ngắn" in response.content.decode()


def test_opening_the_pdf_straight_from_a_link_counts_as_a_read(tree, member):
    document = make_document(unit=tree.commune_a, upload=pdf_upload("Nghị quyết 45.pdf"))

    member.get(reverse("library:file", args=[document.pk]))

    assert DocumentRead.objects.get(document=document, member=tree.member_a1).read_count == 1


def test_an_official_opening_a_document_leaves_no_read(tree):
    document = make_document(unit=tree.commune_a)

    response = signed_in(tree.users["province_viewer"]).get(reverse("library:detail", args=[document.pk]))

    assert response.status_code == 200
    assert not DocumentRead.objects.exists()


def test_the_sibling_commune_gets_not_found_for_the_page_and_the_file(tree):
    document = make_document(unit=tree.commune_a, upload=pdf_upload())
    sibling = signed_in(tree.users["officer_b"])

    assert sibling.get(reverse("library:detail", args=[document.pk])).status_code == 404
    assert sibling.get(reverse("library:file", args=[document.pk])).status_code == 404


def test_the_file_is_served_to_a_member_with_its_original_name_and_safe_headers(tree, member):
    document = make_document(unit=tree.commune_a, upload=pdf_upload("Nghị quyết 45.pdf"))

    response = member.get(reverse("library:file", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Disposition"].startswith("inline")
    assert quote("Nghị quyết 45.pdf") in response["Content-Disposition"]
    assert reverse("library:file", args=[document.pk]) == f"/library/{document.pk}/file/"


def test_the_download_link_asks_to_save_the_file(tree, member):
    document = make_document(unit=tree.commune_a, upload=pdf_upload())

    response = member.get(reverse("library:file", args=[document.pk]), {"download": "1"})

    assert response["Content-Disposition"].startswith("attachment")
    response.close()


def test_a_withdrawn_document_and_its_file_are_gone_for_members(tree, member):
    document = make_document(unit=tree.commune_a, upload=pdf_upload())
    document_withdraw(actor=tree.users["officer_a"], document=document, reason="Hết hiệu lực")

    assert member.get(reverse("library:detail", args=[document.pk])).status_code == 404
    assert member.get(reverse("library:file", args=[document.pk])).status_code == 404
    officer_page = signed_in(tree.users["officer_a"]).get(reverse("library:detail", args=[document.pk]))
    assert "Hết hiệu lực" in officer_page.content.decode()


def test_a_document_without_a_file_has_no_file(tree, member):
    document = make_document(unit=tree.commune_a)

    assert member.get(reverse("library:file", args=[document.pk])).status_code == 404


def test_bookmarking_with_htmx_swaps_the_button_and_lists_the_document(tree, member):
    document = make_document(unit=tree.commune_a, title="Quy định 294")

    response = member.post(reverse("library:bookmark", args=[document.pk]), headers={"HX-Request": "true"})

    assert 'aria-pressed="true"' in response.content.decode()
    assert Bookmark.objects.filter(user=tree.users["member_a1"], document=document).exists()
    assert "Quy định 294" in member.get(reverse("library:bookmarks")).content.decode()
    member.post(reverse("library:bookmark", args=[document.pk]))
    assert "Quy định 294" not in member.get(reverse("library:bookmarks")).content.decode()


def test_an_officer_publishes_a_pdf_from_the_form_and_members_are_told(tree, django_capture_on_commit_callbacks):
    officer = signed_in(tree.users["officer_a"])
    data = {
        "unit": tree.commune_a.pk,
        "number": "05-CT/ĐU",
        "issued_on": "2025-08-01",
        "issuing_body": "Đảng ủy xã A",
        "kind": "directive",
        "title": "Chỉ thị về đại hội chi bộ",
        "file": pdf_upload("chi-thi-05.pdf"),
        "notify_members": "on",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("library:publish"), data)

    document = Document.objects.get(number="05-CT/ĐU")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[document.pk])
    assert document.file_name == "chi-thi-05.pdf"
    notification = Notification.objects.get(user=tree.users["member_a1"])
    assert notification.url == reverse("library:detail", args=[document.pk])
    assert "05-CT/ĐU" in notification.title


def test_the_form_shows_a_renamed_non_pdf_beside_the_file_field(tree):
    officer = signed_in(tree.users["officer_a"])
    data = {
        "unit": tree.commune_a.pk,
        "number": "05-CT/ĐU",
        "issued_on": "2025-08-01",
        "issuing_body": "Đảng ủy xã A",
        "kind": "directive",
        "title": "Chỉ thị",
        "file": pdf_upload("chi-thi.pdf", b"GIF89a not a pdf"),
    }

    response = officer.post(reverse("library:publish"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is not a PDF document."]
    assert not Document.objects.exists()


def test_the_form_offers_only_units_the_user_may_publish_to(tree):
    response = signed_in(tree.users["officer_a"]).get(reverse("library:publish"))

    units = set(response.context["form"].fields["unit"].queryset.values_list("code", flat=True))
    assert units == {"XA", "XA-C1", "XA-C2", "XA-G"}


def test_members_cannot_open_the_publishing_form(tree, member):
    assert member.get(reverse("library:publish")).status_code == 403


def test_withdrawing_from_the_page(tree):
    document = make_document(unit=tree.commune_a)

    response = signed_in(tree.users["officer_a"]).post(
        reverse("library:withdraw", args=[document.pk]), {"reason": "Thay bằng văn bản mới"}
    )

    document.refresh_from_db()
    assert response.status_code == 302
    assert document.withdrawal_reason == "Thay bằng văn bản mới"


def test_a_member_cannot_withdraw(tree, member):
    document = make_document(unit=tree.commune_a)

    response = member.post(reverse("library:withdraw", args=[document.pk]), {"reason": "x"})

    document.refresh_from_db()
    assert response.status_code == 403
    assert document.withdrawn_at is None


def test_read_rates_page_in_vietnamese_shows_the_percentage_with_a_comma(tree):
    document = make_document(unit=tree.commune_a)
    make_member(unit=tree.cell_a1)
    make_member(unit=tree.cell_a1)
    document_read_record(user=tree.users["member_a1"], document=document)
    client = signed_in(tree.users["officer_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    with translation.override("vi"):
        response = client.get(reverse("library:reads", args=[document.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    # Commune A: 1 reader of 4 current members; cell A1: 1 of 3.
    assert "25,0%" in page
    assert "33,3%" in page


def test_members_do_not_see_read_rates(tree, member):
    document = make_document(unit=tree.commune_a)

    assert member.get(reverse("library:reads", args=[document.pk])).status_code == 403


def test_read_rates_drill_down_to_a_unit_below_but_not_beside(tree):
    document = make_document(unit=tree.commune_a)
    teacher = make_member(unit=tree.cell_ag1)
    document_read_record(user=make_user(member=teacher), document=document)
    officer = signed_in(tree.users["officer_a"])

    top = officer.get(reverse("library:reads", args=[document.pk]))
    response = officer.get(reverse("library:reads", args=[document.pk]), {"unit": "XA-G"})

    assert "?unit=XA-G" in top.content.decode()
    total, children = response.context["total"], response.context["children"]
    assert (total.unit.code, total.readers, total.members) == ("XA-G", 1, 1)
    assert [(rate.unit.code, rate.readers) for rate in children] == [("XA-G-C1", 1)]
    assert officer.get(reverse("library:reads", args=[document.pk]), {"unit": "XB"}).status_code == 404
