"""The electronic member card: photos approved by the committee, the QR that verifies only a genuine, current and
unrevoked card, the pages and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cards import selectors
from cards.choices import CardCheck, PhotoStatus
from cards.models import CardPhoto
from cards.services import card_revoke, photo_decide, photo_upload
from cards.tokens import LIFETIME, card_token
from common.tests.api import api_client
from common.tests.clock import at
from members.choices import MemberStatus
from members.services import member_update

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def upload(content=JPEG, name="anh.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_of(tree) -> str:
    return selectors.own_card(user=tree.users["member_a1"]).token


def test_the_members_photo_waits_for_the_committee_and_replaces_the_old_one_when_approved(tree):
    first = photo_upload(actor=tree.users["secretary_a1"], member=tree.member_a1, upload=upload(PNG, "a.png"))
    assert (first.status, first.content_type) == (PhotoStatus.APPROVED, "image/png")  # the secretary's: at once

    own = photo_upload(actor=tree.users["member_a1"], member=tree.member_a1, upload=upload())
    assert own.status == PhotoStatus.PENDING
    assert selectors.own_card(user=tree.users["member_a1"]).photo == first
    assert list(selectors.pending_photos(actor=tree.users["officer_a"])) == [own]
    assert list(selectors.pending_photos(actor=tree.users["officer_b"])) == []
    with pytest.raises(PermissionDenied):
        photo_decide(actor=tree.users["officer_b"], photo=own, approve=True)
    with pytest.raises(ValidationError):
        photo_decide(actor=tree.users["officer_a"], photo=own, approve=False, reason="")

    photo_decide(actor=tree.users["officer_a"], photo=own, approve=True)

    first.refresh_from_db()
    assert first.status == PhotoStatus.REPLACED
    assert selectors.own_card(user=tree.users["member_a1"]).photo == own


def test_only_a_photo_file_of_a_reasonable_size_is_taken(tree):
    member = tree.users["member_a1"]
    with pytest.raises(ValidationError) as error:
        photo_upload(actor=member, member=tree.member_a1, upload=upload(b"%PDF-1.7 not a photo", "a.pdf"))
    assert "photo" in error.value.message_dict
    with pytest.raises(ValidationError):
        photo_upload(actor=member, member=tree.member_a1, upload=upload(JPEG + b"\x00" * (2 * 1024 * 1024)))
    with pytest.raises(PermissionDenied):
        photo_upload(actor=member, member=tree.member_a2, upload=upload())
    assert not CardPhoto.objects.exists()


def test_the_qr_verifies_a_current_card_and_refuses_a_forged_expired_revoked_or_ended_one(tree, pinned_clock):
    token = token_of(tree)
    assert selectors.card_check(token) == (CardCheck.VALID, tree.member_a1)
    assert selectors.card_check(token[:-2] + "xx") == (CardCheck.FORGED, None)
    assert selectors.card_check("") == (CardCheck.FORGED, None)
    forged_member = card_token(member_id=tree.member_a1.pk + 10_000, revision=1, now=timezone.now())
    assert selectors.card_check(forged_member) == (CardCheck.FORGED, None)
    later = timezone.now() + LIFETIME + datetime.timedelta(minutes=1)
    assert selectors.card_check(token, now=later) == (CardCheck.EXPIRED, None)

    card_revoke(actor=tree.users["member_a1"], member=tree.member_a1, reason="Mất điện thoại")
    assert selectors.card_check(token) == (CardCheck.REVOKED, None)
    fresh = token_of(tree)
    assert selectors.card_check(fresh) == (CardCheck.VALID, tree.member_a1)

    pinned_clock.move_to(at(datetime.date(2026, 12, 3)))
    member_update(
        actor=tree.users["officer_a"],
        member=tree.member_a1,
        data={"status": MemberStatus.DECEASED, "died_on": datetime.date(2026, 12, 3)},
    )
    assert selectors.card_check(fresh) == (CardCheck.NOT_A_MEMBER, None)


def test_the_card_page_shows_the_card_and_a_qr_and_the_check_page_shows_it_only_while_valid(tree):
    photo_upload(actor=tree.users["secretary_a1"], member=tree.member_a1, upload=upload())
    member = signed_in(tree.users["member_a1"])

    page = member.get("/cards/mine/").content.decode()

    assert tree.member_a1.full_name in page and tree.member_a1.card_number in page and "<svg" in page
    checker = signed_in(tree.users["officer_b"])
    token = token_of(tree)
    page = checker.get(f"/cards/check/?t={token}").content.decode()
    assert "Còn giá trị" in page and tree.member_a1.full_name in page
    assert checker.get(f"/cards/check/photo/?t={token}").status_code == 200
    member.post("/cards/mine/revoke/", {"reason": "Mất điện thoại"})
    page = checker.get(f"/cards/check/?t={token}").content.decode()
    assert "Đã thu hồi" in page and tree.member_a1.full_name not in page
    assert checker.get(f"/cards/check/photo/?t={token}").status_code == 404


def test_photos_are_seen_by_their_member_and_the_committee_only(tree):
    photo = photo_upload(actor=tree.users["member_a1"], member=tree.member_a1, upload=upload())
    assert signed_in(tree.users["member_a1"]).get(f"/cards/photos/{photo.pk}/image/").status_code == 200
    assert signed_in(tree.users["officer_a"]).get(f"/cards/photos/{photo.pk}/image/").status_code == 200
    assert signed_in(tree.users["officer_b"]).get(f"/cards/photos/{photo.pk}/image/").status_code == 404

    officer = signed_in(tree.users["officer_a"])
    assert tree.member_a1.full_name in officer.get("/cards/photos/").content.decode()
    officer.post(f"/cards/photos/{photo.pk}/decide/", {"decision": "reject", "reason": "Ảnh bị mờ"})
    photo.refresh_from_db()
    assert (photo.status, photo.reason) == (PhotoStatus.REJECTED, "Ảnh bị mờ")


def test_the_member_sends_a_photo_from_the_card_page(tree):
    member = signed_in(tree.users["member_a1"])
    response = member.post("/cards/mine/photo/", {"photo": upload()})
    assert response.status_code == 302
    assert CardPhoto.objects.get().status == PhotoStatus.PENDING
    response = member.post("/cards/mine/photo/", {"photo": upload(b"not a photo", "a.txt")})
    assert response.status_code == 400 and "JPEG, PNG hoặc WebP" in response.content.decode()


def test_the_api_gives_the_card_and_checks_a_token(tree):
    body = api_client(tree.users["member_a1"]).get("/api/cards/mine").json()
    assert body["full_name"] == tree.member_a1.full_name and body["is_current"]
    checked = api_client(tree.users["officer_b"]).get(f"/api/cards/check?t={body['token']}").json()
    assert checked["state"] == "valid" and checked["full_name"] == tree.member_a1.full_name
    forged = api_client(tree.users["officer_b"]).get("/api/cards/check?t=abc").json()
    assert (forged["state"], forged["full_name"], forged["card_number"]) == ("forged", None, None)
    assert api_client(tree.users["no_role"]).get("/api/cards/mine").status_code == 404
