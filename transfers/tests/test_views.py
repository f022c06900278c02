"""The transfer pages as each user meets them: the member applies, the committee issues the letter, the receiving
cell confirms; the letter's DOCX and its QR check; the late list; the API."""

import datetime
import io
import json

import pytest
from django.test import Client
from docx import Document

from common.tests.api import api_client
from common.tests.clock import at
from members.models import Member
from transfers.choices import Stage
from transfers.letters import letter_token
from transfers.models import Transfer
from transfers.services import transfer_cancel, transfer_receive

from .endpoints import application_form, incoming_form
from .factories import MOVES_ON, REASON, apply, issued, secretary_of

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_applies_and_follows_the_steps_on_their_page(tree):
    member = signed_in(tree.users["member_a1"])
    form = {key: value for key, value in application_form(tree).items() if key != "member"}

    response = member.post("/transfers/apply/", form)

    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/transfers/{transfer.pk}/"
    assert (transfer.member, transfer.to_unit, transfer.stage) == (tree.member_a1, tree.cell_a2, Stage.APPLIED)
    page = member.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "Chờ cấp ủy quyết định" in page
    assert "Cấp giấy giới thiệu" not in page  # the member does not decide
    assert tree.member_a1.full_name in member.get("/transfers/").content.decode()


def test_the_application_names_one_destination_and_says_so_in_vietnamese(tree):
    member = signed_in(tree.users["member_a1"])
    form = {
        "kind": "official",
        "to_unit": tree.cell_a2.code,
        "outside_name": "Đảng bộ Quân khu 7",
        "moves_on": MOVES_ON.isoformat(),
        "reason": REASON,
    }

    response = member.post("/transfers/apply/", form)

    assert response.status_code == 200
    assert "Chọn một nơi đến" in response.content.decode()
    response = member.post("/transfers/apply/", {**form, "outside_name": "", "to_unit": "", "other_cell_code": "ZZ"})
    assert "Không có chi bộ nào đang hoạt động mang mã này" in response.content.decode()
    assert not Transfer.objects.exists()


def test_another_members_application_is_not_found(tree):
    response = signed_in(tree.users["member_a1"]).get(f"/transfers/apply/?member={tree.member_a2.pk}")
    assert response.status_code == 404


def test_the_committee_issues_the_letter_and_the_new_cell_receives_the_member(tree):
    transfer = apply(tree)
    officer = signed_in(tree.users["officer_a"])
    assert "Cấp giấy giới thiệu" in officer.get(f"/transfers/{transfer.pk}/").content.decode()

    response = officer.post(f"/transfers/{transfer.pk}/issue/", {"list_position": "7"})

    transfer.refresh_from_db()
    assert response.status_code == 302
    assert (transfer.stage, transfer.letter_number, transfer.list_position) == (Stage.ISSUED, 1, 7)
    secretary = signed_in(secretary_of(tree.cell_a2, "secretary_a2"))
    assert tree.member_a1.full_name in secretary.get("/transfers/").content.decode()
    assert secretary.post(f"/transfers/{transfer.pk}/receive/").status_code == 302
    tree.member_a1.refresh_from_db()
    assert tree.member_a1.unit == tree.cell_a2


def test_the_letter_docx_carries_the_record_and_a_qr_that_checks(tree):
    transfer = issued(tree)
    officer = signed_in(tree.users["officer_a"])

    response = officer.get(f"/transfers/{transfer.pk}/letter.docx")

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG" in text
    assert tree.member_a1.full_name in text and transfer.card_number in text
    assert f"Được chuyển đến sinh hoạt tại: {tree.cell_a2.name}." in text
    assert len(document.inline_shapes) == 1  # the QR

    holder = signed_in(tree.users["officer_b"])  # any signed-in officer holding the paper
    page = holder.get(f"/transfers/letters/check/?t={letter_token(transfer)}").content.decode()
    assert "Giấy giới thiệu do Sổ tay cấp và còn giá trị" in page and tree.member_a1.full_name in page
    forged = letter_token(transfer).replace(":", ":x", 1)
    page = holder.get(f"/transfers/letters/check/?t={forged}").content.decode()
    assert "không phải giấy giới thiệu thật" in page and tree.member_a1.full_name not in page

    transfer_cancel(actor=tree.users["officer_a"], transfer=transfer, reason="Đồng chí không chuyển nữa")
    assert "đã bị hủy" in holder.get(f"/transfers/letters/check/?t={letter_token(transfer)}").content.decode()


def test_a_used_letter_no_longer_stands(tree):
    transfer = transfer_receive(actor=tree.users["officer_a"], transfer=issued(tree))
    page = signed_in(tree.users["no_role"]).get(f"/transfers/letters/check/?t={letter_token(transfer)}")
    assert "đã được sử dụng" in page.content.decode()


def test_the_late_list_shows_both_sides_once_the_deadline_has_passed(tree, pinned_clock):
    transfer = issued(tree)
    officer = signed_in(tree.users["officer_a"])
    assert tree.member_a1.full_name not in officer.get("/transfers/late/").content.decode()

    pinned_clock.move_to(at(transfer.present_due + datetime.timedelta(days=1)))
    officer = signed_in(tree.users["officer_a"])  # the earlier session has expired by then

    assert tree.member_a1.full_name in officer.get("/transfers/late/").content.decode()
    assert "bị trễ hạn" in officer.get("/transfers/").content.decode()
    assert tree.member_a1.full_name not in signed_in(tree.users["officer_b"]).get("/transfers/late/").content.decode()


def test_a_member_arriving_from_outside_is_recorded_from_the_letter(tree):
    officer = signed_in(tree.users["officer_a"])

    response = officer.post("/transfers/incoming/", incoming_form(tree))

    assert response.status_code == 302
    member = Member.objects.get(citizen_id="001085012345")
    assert (member.unit, member.transferred_in_from) == (tree.cell_a2, "Đảng bộ Công an tỉnh Lào Cai")
    assert signed_in(tree.users["member_a1"]).get("/transfers/incoming/").status_code == 404


def test_the_api_walks_a_transfer_through_its_steps(tree):
    member = api_client(tree.users["member_a1"])
    body = {
        "kind": "official",
        "to_unit_code": tree.cell_b1.code,
        "moves_on": MOVES_ON.isoformat(),
        "reason": REASON,
    }
    response = member.post("/api/transfers/apply", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    transfer_id = response.json()["id"]
    assert response.json()["route"] == "between_communes"

    officer = api_client(tree.users["officer_a"])
    response = officer.post(f"/api/transfers/{transfer_id}/issue", data="{}", content_type="application/json")
    assert response.json()["stage"] == "issued" and response.json()["letter"] == "1/2026"
    refused = api_client(tree.users["officer_a"]).post(f"/api/transfers/{transfer_id}/receive")
    assert refused.status_code == 403
    response = api_client(tree.users["officer_b"]).post(f"/api/transfers/{transfer_id}/receive")
    assert response.json()["stage"] == "received"
    assert [row["id"] for row in member.get("/api/transfers/mine").json()] == [transfer_id]

    bad = dict(body, to_unit_code="ZZ")
    response = member.post("/api/transfers/apply", data=json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
