"""The correction API: a member asks, officials find it in their queue and decide."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.tests.api import api_client
from corrections.choices import RequestState
from corrections.models import Attachment, CorrectionRequest, SectionVerification
from corrections.tests.factories import PDF_BYTES, PNG_BYTES, make_request, new_birthday


def post(user, url, body):
    return api_client(user).post(url, data=body, content_type="application/json")


def test_a_member_asks_for_a_date_of_birth_correction_with_an_iso_date(tree):
    birthday = new_birthday(tree.member_a1)

    response = post(
        tree.users["member_a1"],
        "/api/corrections/requests",
        {"member_id": tree.member_a1.pk, "changes": {"date_of_birth": birthday.isoformat()}, "reason": "Sai ngày"},
    )

    assert response.status_code == 201, response.json()
    [item] = response.json()
    assert (item["field_name"], item["new_value"], item["state"], item["assigned_unit_code"]) == (
        "date_of_birth",
        birthday.isoformat(),
        "submitted",
        "XA-C1",
    )
    assert item["new_display"] == birthday.strftime("%d/%m/%Y")


def test_a_cell_is_named_by_its_code(tree):
    response = post(
        tree.users["member_a1"],
        "/api/corrections/requests",
        {"member_id": tree.member_a1.pk, "changes": {"unit": "XA-C2"}, "reason": "Đã chuyển thôn"},
    )

    assert response.status_code == 201
    assert CorrectionRequest.objects.get().target_unit == tree.cell_a2


def test_a_malformed_date_is_refused_under_its_field_name(tree):
    response = post(
        tree.users["member_a1"],
        "/api/corrections/requests",
        {"member_id": tree.member_a1.pk, "changes": {"date_of_birth": "31/02/1970"}, "reason": "x"},
    )

    assert response.status_code == 422
    assert "date_of_birth" in response.json()["errors"]


def test_the_member_lists_their_own_requests(tree):
    make_request(tree)

    body = api_client(tree.users["member_a1"]).get("/api/corrections/requests").json()

    assert body["count"] == 1


def test_the_queue_of_the_secretary_holds_the_request_and_the_sibling_commune_sees_nothing(tree):
    make_request(tree)

    mine = api_client(tree.users["secretary_a1"]).get("/api/corrections/queue").json()
    theirs = api_client(tree.users["officer_b"]).get("/api/corrections/queue").json()

    assert (mine["count"], theirs["count"]) == (1, 0)


def test_confirm_then_approve_through_the_api(tree):
    request = make_request(tree)
    url = f"/api/corrections/requests/{request.pk}/decide"

    post(tree.users["secretary_a1"], url, {"decision": "confirm"})
    response = post(tree.users["officer_a"], url, {"decision": "approve", "reason": "Đúng"})

    assert response.status_code == 200
    assert response.json()["state"] == RequestState.APPLIED


def test_a_forbidden_transition_answers_422_with_the_reason(tree):
    request = make_request(tree)

    with translation.override("en"):
        response = post(
            tree.users["officer_a"], f"/api/corrections/requests/{request.pk}/decide", {"decision": "approve"}
        )

    assert response.status_code == 422
    assert response.json()["detail"] == "The cell must confirm this request before the commune committee decides."


@pytest.mark.parametrize("user", ["officer_b", "no_role"])
def test_deciding_outside_scope_is_not_found(tree, user):
    request = make_request(tree)

    response = post(
        tree.users[user], f"/api/corrections/requests/{request.pk}/decide", {"decision": "reject", "reason": "x"}
    )

    assert response.status_code == 404


def test_a_member_verifies_sections_through_the_api(tree):
    response = post(
        tree.users["member_a1"],
        f"/api/corrections/members/{tree.member_a1.pk}/verify",
        {"sections": ["identity", "contact"]},
    )

    assert response.status_code == 200
    assert SectionVerification.objects.count() == 2


# -- supporting papers ----------------------------------------------------------------------------------------


def post_with_papers(user, member, changes, files, reason="Giấy khai sinh ghi khác"):
    return api_client(user).post(
        "/api/corrections/requests/with-papers",
        data={"member_id": member.pk, "changes": changes, "reason": reason, "attachments": files},
    )


def test_a_member_sends_a_correction_with_a_photo_and_a_scan_and_sees_them_on_the_request(tree, client):
    birthday = new_birthday(tree.member_a1)
    files = [SimpleUploadedFile("giay.png", PNG_BYTES), SimpleUploadedFile("ban-sao.pdf", PDF_BYTES)]

    response = post_with_papers(
        tree.users["member_a1"], tree.member_a1, json.dumps({"date_of_birth": birthday.isoformat()}), files
    )

    assert response.status_code == 201, response.json()
    [item] = response.json()
    papers = item["attachments"]
    assert [(paper["name"], paper["content_type"]) for paper in papers] == [
        ("giay.png", "image/png"),
        ("ban-sao.pdf", "application/pdf"),
    ]
    assert CorrectionRequest.objects.get().attachments.count() == 2
    # The paper is served to the member through its own page, not as a static file.
    client.force_login(tree.users["member_a1"])
    download = client.get(papers[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PNG_BYTES


def test_a_file_that_is_not_an_image_or_a_pdf_is_refused_whatever_its_name_and_nothing_is_kept(tree):
    files = [SimpleUploadedFile("giay.pdf", b"MZ\x90\x00 not a pdf at all")]

    response = post_with_papers(tree.users["member_a1"], tree.member_a1, json.dumps({"hometown": "Xã Tân Lập"}), files)

    assert response.status_code == 422
    assert "attachments" in response.json()["errors"]
    assert not CorrectionRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_changes_that_are_not_a_json_object_are_refused_under_their_name(tree):
    files = [SimpleUploadedFile("giay.png", PNG_BYTES)]

    response = post_with_papers(tree.users["member_a1"], tree.member_a1, "hometown=Tân Lập", files)

    assert response.status_code == 422
    assert "changes" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_papers_cannot_be_sent_for_a_member_of_another_commune(tree):
    files = [SimpleUploadedFile("giay.png", PNG_BYTES)]

    response = post_with_papers(tree.users["officer_b"], tree.member_a1, json.dumps({"hometown": "Xã Tân Lập"}), files)

    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_the_request_list_reads_every_paper_of_the_page_in_one_query(tree, django_assert_max_num_queries):
    for field, value in (("hometown", "Xã Tân Lập"), ("religion", "Phật giáo"), ("birth_name", "Nguyễn Văn Ân")):
        created = post_with_papers(
            tree.users["member_a1"],
            tree.member_a1,
            json.dumps({field: value}),
            [SimpleUploadedFile("a.png", PNG_BYTES)],
        )
        assert created.status_code == 201, created.json()
    client = api_client(tree.users["member_a1"])
    client.get("/api/corrections/requests")  # warm: the session and the user's roles

    with django_assert_max_num_queries(12) as captured:
        response = client.get("/api/corrections/requests")

    assert [len(item["attachments"]) for item in response.json()["items"]] == [1, 1, 1]
    assert sum("corrections_attachment" in query["sql"] for query in captured.captured_queries) == 1
