"""The pages as a member and as officials use them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests.clients import english_client
from corrections.choices import Decision, RequestState
from corrections.models import Attachment, CorrectionRequest, SectionVerification
from corrections.services import correction_request_decide
from corrections.tests.factories import PDF_BYTES, PNG_BYTES, make_request, new_birthday
from members.tests.factories import make_member


def client_for(tree, name):
    client = english_client()
    client.force_login(tree.users[name])
    return client


def post_request(client, member, section="identity", **values):
    return client.post(reverse("corrections:request", args=[member.pk, section]), values)


def test_a_member_sees_their_record_in_sections(tree):
    response = client_for(tree, "member_a1").get(reverse("corrections:my_record"))

    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()
    assert len(response.context["sections"]) == 5


def test_a_user_without_a_member_record_gets_a_friendly_page(tree):
    with translation.override("en"):
        response = client_for(tree, "officer_a").get(reverse("corrections:my_record"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.templates[0].name == "corrections/no_record.html"


def test_saying_a_section_is_correct_records_todays_date(tree):
    client = client_for(tree, "member_a1")

    response = client.post(reverse("corrections:verify", args=[tree.member_a1.pk]), {"section": "contact"})

    assert response.status_code == 302
    verification = SectionVerification.objects.get()
    assert (verification.section, verification.verified_on) == ("contact", timezone.localdate())
    page = client.get(reverse("corrections:my_record")).content.decode()
    assert verification.verified_on.strftime("%d/%m/%Y") in page


def test_the_whole_record_can_be_confirmed_at_once(tree):
    client_for(tree, "member_a1").post(reverse("corrections:verify", args=[tree.member_a1.pk]), {"section": "all"})

    assert SectionVerification.objects.count() == 5


def test_a_member_requests_a_correction_with_a_photo_and_sees_the_pending_value(tree, private_media):
    client = client_for(tree, "member_a1")
    member = tree.member_a1
    paper = SimpleUploadedFile("giay.png", PNG_BYTES, content_type="image/png")
    data = {
        "full_name": member.full_name,
        "date_of_birth": new_birthday(member).isoformat(),
        "sex": member.sex,
        "ethnicity": member.ethnicity,
        "citizen_id": member.citizen_id,
        "reason": "Giấy khai sinh ghi ngày 28",
        "attachments": [paper],
    }

    response = client.post(reverse("corrections:request", args=[member.pk, "identity"]), data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    request = CorrectionRequest.objects.get()
    assert request.field_name == "date_of_birth"
    stored = Attachment.objects.get()
    assert stored.content_type == "image/png"
    assert "giay" not in stored.file.name
    assert stored.file.path.startswith(str(private_media))
    page = client.get(reverse("corrections:my_record")).content.decode()
    assert new_birthday(member).strftime("%d/%m/%Y") in page


def test_a_paper_that_is_not_an_image_or_pdf_is_refused_by_its_content(tree, private_media):
    member = tree.member_a1
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 this is a program", content_type="image/png")

    response = post_request(
        client_for(tree, "member_a1"),
        member,
        section="contact",
        phone="0912345678",
        email="",
        reason="Số mới",
        attachments=[fake],
    )

    assert response.status_code == 200
    assert not CorrectionRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_a_paper_over_the_size_limit_is_refused(tree, private_media, settings):
    settings.CORRECTIONS_ATTACHMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"x" * 200, content_type="application/pdf")

    response = post_request(
        client_for(tree, "member_a1"),
        tree.member_a1,
        section="contact",
        phone="0912345678",
        reason="x",
        attachments=[big],
    )

    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_a_paper_is_served_to_the_member_and_the_deciding_officer_but_not_to_the_sibling_commune(tree, private_media):
    request = make_request(tree, attachments=[SimpleUploadedFile("a.pdf", PDF_BYTES)])
    url = reverse("corrections:attachment", args=[request.attachments.get().pk])

    own = client_for(tree, "member_a1").get(url)
    officer = client_for(tree, "officer_a").get(url)
    sibling = client_for(tree, "officer_b").get(url)

    assert (own.status_code, officer.status_code, sibling.status_code) == (200, 200, 404)
    assert b"".join(own.streaming_content) == PDF_BYTES
    assert own["Content-Type"] == "application/pdf"


def test_the_secretary_confirms_and_the_officer_approves_from_the_pages(tree):
    request = make_request(tree)

    client_for(tree, "secretary_a1").post(reverse("corrections:decide", args=[request.pk]), {"decision": "confirm"})
    response = client_for(tree, "officer_a").post(
        reverse("corrections:decide", args=[request.pk]), {"decision": "approve", "reason": "Đúng giấy tờ"}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.APPLIED
    page = client_for(tree, "member_a1").get(reverse("corrections:my_record")).content.decode()
    assert "Đúng giấy tờ" in page


def test_rejecting_without_a_reason_shows_the_error_on_the_page(tree):
    request = make_request(tree)

    with translation.override("en"):
        response = client_for(tree, "secretary_a1").post(
            reverse("corrections:decide", args=[request.pk]), {"decision": "reject", "reason": ""}
        )

    assert response.status_code == 200
    assert "Give the reason for rejecting" in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


def test_the_queue_shows_requests_waiting_in_scope_only(tree):
    make_request(tree)

    mine = client_for(tree, "secretary_a1").get(reverse("corrections:queue")).content.decode()
    sibling = client_for(tree, "officer_b").get(reverse("corrections:queue")).content.decode()

    assert "Nguyễn Văn An" in mine
    assert "Nguyễn Văn An" not in sibling


def test_a_transfer_case_appears_in_the_queue_of_the_receiving_commune(tree):
    request = make_request(tree, field="unit", value=tree.cell_b1)
    correction_request_decide(actor=tree.users["officer_a"], request=request, decision=Decision.APPROVE)

    page = client_for(tree, "officer_b").get(reverse("corrections:queue")).content.decode()

    assert "Nguyễn Văn An" in page


def test_the_queue_filters_overdue_requests(tree):
    request = make_request(tree)
    CorrectionRequest.objects.filter(pk=request.pk).update(due_on=datetime.date(2020, 1, 1))
    make_request(tree, field="hometown", value="Xã Khác")

    response = client_for(tree, "officer_a").get(reverse("corrections:queue"), {"overdue": "on"})

    assert [item.pk for item in response.context["requests"]] == [request.pk]


def _queue_queries(tree, count):
    for index in range(count):
        member = make_member(unit=tree.cell_a2 if index % 2 else tree.cell_a1)
        correction_request_decide  # noqa: B018 - imported for the other tests
        from corrections.services import correction_request_create

        correction_request_create(
            actor=tree.users["officer_a"], member=member, changes={"unit": tree.cell_ag1}, reason="Sắp xếp lại"
        )
    client = client_for(tree, "officer_a")
    client.get(reverse("corrections:queue"))  # the menu's unread count is kept from the first visit on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("corrections:queue"))
    assert len(response.context["requests"]) == count
    return len(queries)


@pytest.mark.django_db
def test_the_queue_takes_as_many_queries_for_30_requests_as_for_3(tree):
    few = _queue_queries(tree, 3)
    CorrectionRequest.objects.all().delete()

    many = _queue_queries(tree, 30)

    assert many == few


def test_a_bulk_decision_from_the_queue_applies_identical_requests(tree):
    from corrections.services import correction_request_create

    members = [make_member(unit=tree.cell_a1) for _ in range(3)]
    requests = [
        correction_request_create(
            actor=tree.users["officer_a"], member=m, changes={"unit": tree.cell_a2}, reason="Sáp nhập"
        )[0]
        for m in members
    ]

    client_for(tree, "officer_a").post(
        reverse("corrections:bulk"), {"requests": [r.pk for r in requests], "decision": "approve", "reason": ""}
    )

    assert set(CorrectionRequest.objects.values_list("state", flat=True)) == {RequestState.APPLIED}


def test_the_change_file_lists_approved_corrections_and_is_logged_as_an_export(tree):
    member = tree.member_a1
    expected = new_birthday(member)
    request = make_request(tree, value=expected)
    correction_request_decide(actor=tree.users["secretary_a1"], request=request, decision="confirm")
    correction_request_decide(actor=tree.users["officer_a"], request=request, decision="approve")
    today = timezone.localdate()

    response = client_for(tree, "officer_a").get(
        reverse("corrections:change_file"),
        {"unit": "XA", "start": today.isoformat(), "end": today.isoformat(), "purpose": "Gửi cơ sở dữ liệu đảng viên"},
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    card, citizen_id, name, _label, code, old, new, decided_by, day, number = rows[1]
    assert (card, citizen_id, name, code, number) == (
        member.card_number,
        member.citizen_id,
        member.full_name,
        "date_of_birth",
        request.pk,
    )
    assert new == expected.strftime("%d/%m/%Y")
    [logged] = ChangeLog.objects.filter(action=ChangeAction.EXPORT, unit=tree.commune_a)
    assert logged.postchange_data["purpose"] == "Gửi cơ sở dữ liệu đảng viên"
    assert logged.reason.endswith(": Gửi cơ sở dữ liệu đảng viên")


def test_the_change_file_is_not_sent_without_a_purpose(tree):
    today = timezone.localdate().isoformat()

    response = client_for(tree, "officer_a").get(
        reverse("corrections:change_file"), {"unit": "XA", "start": today, "end": today, "purpose": "   "}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["purpose"]
    assert not ChangeLog.objects.filter(action=ChangeAction.EXPORT).exists()


def test_a_value_typed_like_a_formula_goes_into_the_change_file_as_text(tree):
    dangerous = "=cmd|' /C calc'!A0"
    request = make_request(tree, field="hometown", value=dangerous)
    correction_request_decide(actor=tree.users["secretary_a1"], request=request, decision="confirm")
    correction_request_decide(actor=tree.users["officer_a"], request=request, decision="approve")
    today = timezone.localdate().isoformat()

    response = client_for(tree, "officer_a").get(
        reverse("corrections:change_file"), {"unit": "XA", "start": today, "end": today, "purpose": "Đối chiếu"}
    )

    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
    [new_value] = [cell for cell in cells if cell.value == dangerous]
    assert new_value.data_type == "s" and new_value.quotePrefix


def test_the_change_file_of_another_commune_is_not_found(tree):
    today = timezone.localdate().isoformat()

    response = client_for(tree, "officer_b").get(
        reverse("corrections:change_file"), {"unit": "XA", "start": today, "end": today, "purpose": "Đối chiếu"}
    )

    assert response.status_code == 404
    assert not ChangeLog.objects.filter(action=ChangeAction.EXPORT).exists()


def test_the_figures_count_verified_members_and_overdue_requests(tree):
    client_for(tree, "member_a1").post(reverse("corrections:verify", args=[tree.member_a1.pk]), {"section": "all"})
    request = make_request(tree, field="hometown", value="Xã Khác")
    CorrectionRequest.objects.filter(pk=request.pk).update(due_on=datetime.date(2020, 1, 1))

    figures = client_for(tree, "officer_a").get(reverse("corrections:figures"), {"unit": "XA"}).context["figures"]

    assert (figures["verified"], figures["members"], figures["overdue"]) == (1, 2, 1)


def test_an_official_finds_a_member_and_opens_a_request_for_them(tree):
    client = client_for(tree, "officer_a")

    found = client.get(reverse("corrections:member_search"), {"q": "nguyen van an"}).context["members"]
    response = post_request(
        client, found[0], section="place_of_activity", unit=tree.cell_a2.pk, reason="Đã chuyển thôn"
    )

    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.member, request.requested_by) == (tree.member_a1, tree.users["officer_a"])


def test_the_member_search_does_not_reach_another_commune(tree):
    found = client_for(tree, "officer_b").get(reverse("corrections:member_search"), {"q": "nguyen van an"})

    assert found.context["members"] == []
