"""The card pages and API operations, for the permission matrix (common/tests/matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from common.tests.matrix import READ, WRITE, page

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


def with_pending_photo(tree) -> dict:
    from cards.services import photo_upload

    photo = photo_upload(
        actor=tree.users["member_a1"],
        member=tree.member_a1,
        upload=SimpleUploadedFile("anh.jpg", JPEG, content_type="image/jpeg"),
    )
    return {"photo": photo}


ENDPOINTS = [
    page("cards:photo", READ, "get", lambda ctx: f"/cards/photos/{ctx.photo.pk}/image/", prepare=with_pending_photo),
    page("cards:member", READ, "get", lambda ctx: f"/cards/members/{ctx.member_a1.pk}/"),
    page(
        "cards:member",
        WRITE,
        "post",
        lambda ctx: f"/cards/members/{ctx.member_a1.pk}/",
        lambda ctx: {"action": "revoke", "reason": "Mất điện thoại"},
    ),
    page(
        "cards:photo_decide",
        WRITE,
        "post",
        lambda ctx: f"/cards/photos/{ctx.photo.pk}/decide/",
        lambda ctx: {"decision": "approve"},
        prepare=with_pending_photo,
    ),
]
# The member's own card, the photo queue (narrowed to the actor's cells) and the check of a QR (it shows what the
# card shows, only while valid: tests/test_cards.py).
SIGNED_IN_ONLY = [
    "cards:mine",
    "cards:mine_photo",
    "cards:mine_revoke",
    "cards:check",
    "cards:check_photo",
    "cards:photos",
    "get /api/cards/mine",
    "get /api/cards/check",
]
