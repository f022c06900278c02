"""The library over the API, with a bearer token as the installed app calls it."""

import datetime

from common.tests.api import api_client
from library.models import Bookmark, DocumentRead
from library.services import document_read_record
from library.tests.factories import make_document, pdf_upload
from members.tests.factories import make_member


def test_listing_searches_without_diacritics_and_filters(tree):
    wanted = make_document(
        unit=tree.commune_a,
        title="Quy định về kiểm tra, giám sát",
        kind="regulation",
        issued_on=datetime.date(2024, 2, 1),
    )
    make_document(unit=tree.commune_a, title="Quy định khác", kind="regulation", issued_on=datetime.date(2025, 2, 1))
    make_document(unit=tree.commune_b, title="Quy định về kiểm tra của xã B")
    client = api_client(tree.users["member_a1"])

    body = client.get("/api/library/documents", {"search": "kiem tra giam sat"}).json()
    assert [item["id"] for item in body["items"]] == [wanted.pk]
    assert body["count"] == 1
    body = client.get("/api/library/documents", {"kind": "regulation", "year": 2024}).json()
    assert [item["id"] for item in body["items"]] == [wanted.pk]
    assert body["items"][0]["unit_code"] == "XA"


def test_reading_a_document_gives_its_fields_and_the_stable_file_url(tree):
    document = make_document(unit=tree.commune_a, number="45-NQ/TW", upload=pdf_upload("NQ 45.pdf"))

    body = api_client(tree.users["member_a1"]).get(f"/api/library/documents/{document.pk}").json()

    assert body["number"] == "45-NQ/TW"
    assert body["file_url"] == f"/library/{document.pk}/file/"
    assert body["file_name"] == "NQ 45.pdf"
    assert body["is_bookmarked"] is False
    assert body["read_count"] == 0
    assert not DocumentRead.objects.exists()


def test_a_sibling_gets_not_found(tree):
    document = make_document(unit=tree.commune_a)

    response = api_client(tree.users["officer_b"]).get(f"/api/library/documents/{document.pk}")

    assert response.status_code == 404


def test_bookmark_toggle_and_the_bookmark_list(tree):
    document = make_document(unit=tree.commune_a)
    client = api_client(tree.users["member_a1"])

    assert client.post(f"/api/library/documents/{document.pk}/bookmark").json() == {"is_bookmarked": True}
    listed = client.get("/api/library/bookmarks").json()
    assert [item["id"] for item in listed["items"]] == [document.pk]
    assert listed["items"][0]["is_bookmarked"] is True
    assert client.post(f"/api/library/documents/{document.pk}/bookmark").json() == {"is_bookmarked": False}
    assert not Bookmark.objects.exists()


def test_marking_read_counts_the_members_opens(tree):
    document = make_document(unit=tree.commune_a)
    client = api_client(tree.users["member_a1"])

    client.post(f"/api/library/documents/{document.pk}/read")
    body = client.post(f"/api/library/documents/{document.pk}/read").json()

    assert body["recorded"] is True
    assert body["read_count"] == 2
    assert client.get(f"/api/library/documents/{document.pk}").json()["read_count"] == 2


def test_marking_read_by_an_official_without_a_member_record_records_nothing(tree):
    document = make_document(unit=tree.commune_a)

    body = api_client(tree.users["officer_a"]).post(f"/api/library/documents/{document.pk}/read").json()

    assert body == {"recorded": False, "read_count": 0, "first_read_at": None}
    assert not DocumentRead.objects.exists()


def test_read_rates_for_the_unit_and_its_children(tree):
    document = make_document(unit=tree.commune_a)
    make_member(unit=tree.cell_a2)
    document_read_record(user=tree.users["member_a1"], document=document)

    body = api_client(tree.users["officer_a"]).get(f"/api/library/documents/{document.pk}/reads").json()

    assert body["unit"] == {"unit_code": "XA", "unit_name": "Đảng bộ xã A", "readers": 1, "members": 3, "percent": 33.3}
    children = {row["unit_code"]: (row["readers"], row["members"]) for row in body["children"]}
    assert children == {"XA-C1": (1, 1), "XA-C2": (0, 2), "XA-G": (0, 0)}
    assert [row["percent"] for row in body["children"]] == [100.0, 0.0, None]


def test_read_rates_are_refused_to_members(tree):
    document = make_document(unit=tree.commune_a)

    response = api_client(tree.users["member_a1"]).get(f"/api/library/documents/{document.pk}/reads")

    assert response.status_code == 403


def test_read_rates_of_a_unit_below_and_not_of_a_sibling(tree):
    document = make_document(unit=tree.commune_a)
    client = api_client(tree.users["officer_a"])

    body = client.get(f"/api/library/documents/{document.pk}/reads", {"unit_code": "XA-G"}).json()

    assert body["unit"]["unit_code"] == "XA-G"
    assert [row["unit_code"] for row in body["children"]] == ["XA-G-C1"]
    assert client.get(f"/api/library/documents/{document.pk}/reads", {"unit_code": "XB"}).status_code == 404
