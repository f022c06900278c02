"""The demo's cards: the demo member's card with an approved photo, photos the secretary put on for half of the
demo cell, and one member's own photo waiting in the committee's queue."""

import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
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
    """A plain passport-style silhouette as a PNG (no imaging library needed): head, hair and shoulders on a
    light background, colours chosen by `rng`."""
    background, clothes = rng.choice(BACKGROUNDS), rng.choice(CLOTHES)
    head_x, head_y, head_r = WIDTH // 2, 48, 22
    rows = []
    for y in range(HEIGHT):
        row = bytearray([0])  # filter type 0 for each scanline
        for x in range(WIDTH):
            colour = background
            if y > 84 and (x - head_x) ** 2 / 45**2 + (y - 128) ** 2 / 44**2 <= 1:
                colour = clothes
            elif (x - head_x) ** 2 + (y - head_y) ** 2 <= head_r**2:
                colour = HAIR if y < head_y - 8 else SKIN
            elif 70 <= y <= 86 and abs(x - head_x) <= 8:
                colour = SKIN  # the neck
            row.extend(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


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
