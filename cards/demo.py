"""The demo's cards: the demo member's card with an approved photo, photos the secretary put on for half of the
demo cell, and one member's own photo waiting in the committee's queue."""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from common.images import png_bytes
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.models import Unit

from .services import photo_upload

WIDTH, HEIGHT = 90, 120
BACKGROUNDS = ((214, 228, 240), (232, 222, 210), (220, 234, 220), (236, 226, 236))
CLOTHES = ((40, 60, 100), (90, 40, 40), (50, 80, 60), (60, 60, 60))
SKIN = (224, 188, 160)
HAIR = (35, 30, 30)


def portrait_png(rng: random.Random) -> bytes:
    """A plain passport-style silhouette: head, hair and shoulders on a light background, colours chosen by `rng`."""
    background, clothes = rng.choice(BACKGROUNDS), rng.choice(CLOTHES)
    head_x, head_y, head_r = WIDTH // 2, 48, 22

    def pixel(x: int, y: int) -> tuple:
        if y > 84 and (x - head_x) ** 2 / 45**2 + (y - 128) ** 2 / 44**2 <= 1:
            return clothes
        if (x - head_x) ** 2 + (y - head_y) ** 2 <= head_r**2:
            return HAIR if y < head_y - 8 else SKIN
        if 70 <= y <= 86 and abs(x - head_x) <= 8:
            return SKIN  # the neck
        return background

    return png_bytes(WIDTH, HEIGHT, pixel)


def _upload(rng: random.Random) -> SimpleUploadedFile:
    return SimpleUploadedFile("anh-the.png", portrait_png(rng), content_type="image/png")


def demo_cards(*, cell: Unit, secretary: User, keep_for: User) -> None:
    rng = random.Random(2026)  # its own sequence: the rest of the story's draws stay as they were
    photo_upload(actor=secretary, member=keep_for.member, upload=_upload(rng))
    members = list(
        Member.objects.filter(unit=cell, status__in=CURRENT_STATUSES)
        .exclude(pk__in=[keep_for.member_id, secretary.member_id])
        .select_related("user")
        .order_by("sort_name")
    )
    with_photo = members[: len(members) // 2]
    for member in with_photo:
        photo_upload(actor=secretary, member=member, upload=_upload(rng))
    # One member put on their own photo from the phone: it waits for the committee.
    waiting = next((member for member in members[len(members) // 2 :] if getattr(member, "user", None)), None)
    if waiting is not None:
        photo_upload(actor=waiting.user, member=waiting, upload=_upload(rng))
