"""Text helpers shared by every app."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D")
# A Vietnamese phone number as stored: its one spelling, a 0 and 9 or 10 digits.
PHONE_RE = re.compile(r"^0[0-9]{9,10}$")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


# Each character below U+2000 whose folding is plain ASCII (a Latin letter with its marks, a lone mark, đ), mapped
# to it: one `str.translate` folds a Vietnamese name instead of a normalisation and a pass over every character.
_TO_ASCII = {code: folded for code in range(0x80, 0x2000) if (folded := _strip_marks(chr(code))).isascii()}


def fold_for_search(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics, so "Nguyễn Văn Đức" matches "nguyen van duc".

    NFD splits most marks off their letters; đ/Đ is a letter of its own and needs mapping by hand.
    """
    if not text:
        return ""
    return _folded(str(text))  # a plain string as the key: a lazy translation's text changes with the language


# The last few thousand texts folded are kept: an import folds each row's name several times (its look-ups, its
# checks, its record).
@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    folded = text.translate(_TO_ASCII)
    if not folded.isascii():  # a character the table does not cover: folded the long way, with the same result
        folded = _strip_marks(text)
    return " ".join(folded.split()).lower()


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
