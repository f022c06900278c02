"""Natural Vietnamese order for choice lists: "Chi bộ thôn 2" before "thôn 10", "Đ" right after "D", not after "Y".

A local sort key (h-d is writing the shared collation helper in common/; once it lands, this should defer to
it). Letters follow the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with
f j w z where the Latin alphabet has them); tones only break ties after all the letters (as dictionaries do);
runs of digits compare as numbers.
"""

import re
import unicodedata

_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ"]
_ALPHABET += ["p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: 1000 + rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a letter of its own (ă â ê ô ơ ư) and marks of tone (huyền, hỏi, ngã, sắc, nặng).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_MARKS = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
_DIGITS = re.compile(r"(\d+)")


def _letters_and_tones(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters, tones = [], []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(mark for mark in marks if mark in _LETTER_MARKS))
        letters.append(_LETTER_RANK.get(letter, ord(letter[0])))
        tones.append(next((_TONE_MARKS.index(mark) + 1 for mark in marks if mark in _TONE_MARKS), 0))
    return tuple(letters), tuple(tones)


def vietnamese_sort_key(text: str) -> tuple:
    """A key that sorts Vietnamese names as a reader expects (see the module's docstring)."""
    segments, tones = [], []
    for part in _DIGITS.split((text or "").strip().lower()):
        if not part:
            continue
        if part.isdigit():
            segments.append((0, int(part), ()))
        else:
            letters, part_tones = _letters_and_tones(part)
            segments.append((1, 0, letters))
            tones.extend(part_tones)
    return tuple(segments), tuple(tones)


def in_vietnamese_order(items, *, key=lambda item: str(item)) -> list:
    """`items` sorted by `key(item)` in natural Vietnamese order."""
    return sorted(items, key=lambda item: vietnamese_sort_key(key(item)))
