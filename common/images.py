"""Pictures people upload (card photos, news pictures): what kind of image a file is, read from its first bytes,
never from its name or the type the browser claims."""

import struct
import zlib

# The formats every phone's camera and browser write.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def image_content_type(head: bytes) -> str | None:
    """The image's media type from its first 16 bytes; None: not a JPEG, PNG or WebP picture."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def upload_content_type(upload) -> str | None:
    """The media type of an uploaded picture (the file is left at its start)."""
    upload.seek(0)
    content_type = image_content_type(upload.read(16))
    upload.seek(0)
    return content_type


def png_bytes(width: int, height: int, pixel) -> bytes:
    """A PNG of `pixel(x, y) -> (r, g, b)`, drawn without an imaging library (demo pictures, tests)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
