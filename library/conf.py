"""The library's settings, read at each use (tests override them), with their defaults."""

from django.conf import settings

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_PAGE_SIZE = 20


def max_file_bytes() -> int:
    """The largest PDF a publisher may attach (setting LIBRARY_MAX_FILE_BYTES, 20 MB by default)."""
    return int(getattr(settings, "LIBRARY_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def page_size() -> int:
    return int(getattr(settings, "LIBRARY_PAGE_SIZE", DEFAULT_PAGE_SIZE))
