import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corrections.services import correction_request_create

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%fake but well-formed enough\n"


def png_upload(name="giay-khai-sinh.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def new_birthday(member, day=28):
    """A different date of birth in the same year: the citizen ID encodes the year of birth."""
    import datetime

    born = member.date_of_birth
    return datetime.date(born.year, 12 if born.month != 12 else 11, day)


def make_request(tree, *, field="date_of_birth", value=None, actor=None, reason="Giấy khai sinh ghi khác", **kwargs):
    """One request for member A1, by default a date-of-birth correction asked by the member."""

    actor = actor or tree.users["member_a1"]
    if value is None:
        value = new_birthday(tree.member_a1)
    [request] = correction_request_create(
        actor=actor, member=tree.member_a1, changes={field: value}, reason=reason, **kwargs
    )
    return request


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


__all__ = ["PDF_BYTES", "PNG_BYTES", "io", "make_request", "new_birthday", "png_upload", "private_media"]
