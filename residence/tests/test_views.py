"""Residence registration as each side meets it: the member asks from the phone, the residential cell accepts or
refuses and gives its yearly feedback, the member's cell reads it; the API does the same."""

import json

from django.test import Client

from common.tests.api import api_client
from residence.choices import RegistrationStatus
from residence.models import Feedback, Registration

from .endpoints import FEEDBACK


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_member_asks_and_the_residential_cell_accepts_and_gives_feedback(tree, teachers):
    member = signed_in(teachers.teacher_user)
    form = member.get("/residence/register/").content.decode()
    assert tree.cell_a1.code in form  # the cell of the home village is suggested

    response = member.post("/residence/register/", {"residential_unit": tree.cell_a1.code})

    registration = Registration.objects.get()
    assert response.status_code == 302 and registration.status == RegistrationStatus.REQUESTED
    secretary = signed_in(tree.users["secretary_a1"])
    assert teachers.teacher.full_name in secretary.get("/residence/").content.decode()
    assert secretary.post(f"/residence/{registration.pk}/accept/").status_code == 302
    assert secretary.post(f"/residence/{registration.pk}/feedback/", FEEDBACK).status_code == 302
    assert Feedback.objects.get(registration=registration).remarks == "Gương mẫu"
    page = signed_in(teachers.school_secretary).get(f"/residence/{registration.pk}/").content.decode()
    assert (
        "Gương mẫu" in page and "Gửi nhận xét năm nay" not in page
    )  # the work cell reads, the residential cell writes


def test_a_refusal_needs_a_reason_and_a_village_member_is_not_asked_to_register(tree, teachers):
    member = signed_in(teachers.teacher_user)
    member.post("/residence/register/", {"residential_unit": tree.cell_a1.code})
    registration = Registration.objects.get()
    secretary = signed_in(tree.users["secretary_a1"])

    response = secretary.post(f"/residence/{registration.pk}/refuse/", {"reason": ""}, follow=True)
    assert "Trường này là bắt buộc" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REQUESTED
    secretary.post(f"/residence/{registration.pk}/refuse/", {"reason": "Không cư trú tại thôn"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REFUSED
    assert (
        "Đăng ký với chi bộ nơi tôi cư trú"
        not in signed_in(tree.users["member_a1"]).get("/residence/").content.decode()
    )


def test_the_api_walks_a_registration(tree, teachers):
    member = api_client(teachers.teacher_user)
    response = member.post(
        "/api/residence/register",
        data=json.dumps({"residential_unit_code": tree.cell_a1.code}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    registration_id = response.json()["id"]
    refused = api_client(teachers.school_secretary).post(f"/api/residence/{registration_id}/accept")
    assert refused.status_code == 403
    accepted = api_client(tree.users["secretary_a1"]).post(f"/api/residence/{registration_id}/accept")
    assert accepted.json()["status"] == "accepted"
    assert [row["id"] for row in member.get("/api/residence/mine").json()] == [registration_id]
