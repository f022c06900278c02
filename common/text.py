"""Text helpers shared by every app."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D")
# A Vietnamese phone number as stored: its one spelling, a 0 and 9 or 10 digits.
PHONE_RE = re.compile(r"^0[0-9]{9,10}$")


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


def normalize_phone(value: str) -> str:
    """ "+84 912.345.678", "84912345678", "++0912345678" → "0912345678". Anything else is returned digits-only
    for the validator to judge."""
    digits = _DIGITS.sub("", unicodedata.normalize("NFKC", value or ""))
    # A national number never starts with 84 (it starts with 0), so a leading 84 is the country code, however many
    # "+" were typed before it; "+84 0912…" keeps its own 0.
    if digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    return digits


def _is_number(compact: str) -> bool:
    return compact.lstrip("+").replace(".", "").replace("-", "").isdigit()


def canonical_identifier(value: str) -> str:
    """The one spelling of a sign-in identifier, used before every lookup, throttle and log.

    Spaces go (anywhere) and full-width characters become plain ones; a number (phone, citizen ID, card
    number) keeps its digits only, with a phone's +84/84 prefix made 0; a username is lower-cased, as the
    database compares usernames case-insensitively.
    """
    compact = "".join(unicodedata.normalize("NFKC", value or "").split())
    if _is_number(compact):
        return normalize_phone(compact)
    return compact.lower()


def is_number_identifier(canonical: str) -> bool:
    return canonical.isascii() and canonical.isdigit()
