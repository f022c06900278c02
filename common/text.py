"""Text helpers shared by every app."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold_for_search(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics, so "Nguyễn Văn Đức" matches "nguyen van duc".

    NFD splits most marks off their letters; đ/Đ is a letter of its own and needs mapping by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def normalize_name(text: str) -> str:
    """Tidy a person's or unit's name as typed: NFC, single spaces, no edge spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
