"""Vietnamese order for lists of names: "Đ" after "D" (not after "Y"), "số 2" before "số 10".

Python and the database (SQLite, PostgreSQL's "C" or en_US collations) order by code point: "Đ" (U+0110) comes
after every unaccented letter, accented vowels after "z", and digits as text ("1, 10, 100, 2"). Vietnamese
dictionaries order letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z of foreign
names in their Latin places), then, for words spelt with the same letters, by tone: level, huyền, hỏi, ngã, sắc,
nặng (a à ả ã á ạ: the dictionaries' order as the Vietnam Lexicography Centre states it, Vũ Xuân Lương,
"Quy tắc sắp xếp theo thứ tự ABC"; also CLDR's). Runs of digits compare as numbers.

Use `vietnamese_sort_key` as the `key` of `sorted()`; `person_name_sort_key` orders people the way Vietnamese
lists do, by given name (the last word), then family and middle names. A database cannot call these, so lists paged
by the database order by `person_name_collation_key`, the same order written as a text of digits and stored beside
the name (members.Member.sort_name).
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
# Marks that make a letter of their own (ă, â, ê, ô, ơ, ư) and marks that are tones.
_LETTER_MARKS = frozenset({"\u0306", "\u0302", "\u031b"})  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_TOKENS = re.compile(r"\d+|\D")


def _letter_and_tone(char: str) -> tuple[str, int]:
    """'ặ' → ('ă', 5): the letter of the alphabet it is, and its tone (0 for none)."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            base += mark
    return unicodedata.normalize("NFC", base), tone


# Cached: a page sorts the same unit names on every request (a ward's 150 cells); a key is a few kilobytes at most.
@functools.lru_cache(maxsize=4096)
def vietnamese_sort_key(text: str) -> tuple:
    """A key that sorts `text` in Vietnamese order: letters, then tones, then case; numbers by value."""
    letters, tones, cases = [], [], []
    for token in _TOKENS.findall(unicodedata.normalize("NFC", text or "").strip()):
        if token.isdecimal():  # a run of \d; not "²", which is a digit but no number
            letters.append((1, int(token), ""))  # numbers before letters, as in a dictionary's index
            continue
        letter, tone = _letter_and_tone(token)
        if letter in _RANK:
            letters.append((2, _RANK[letter], ""))
        elif token.isspace():
            letters.append((0, 0, ""))  # "An" before "An Bình" before "Anh"
        else:
            letters.append((0, 1, letter))  # punctuation and other scripts: before letters, by code point
        tones.append(tone)
        cases.append(token.isupper())
    return tuple(letters), tuple(tones), tuple(cases)


def person_name_sort_key(full_name: str) -> tuple:
    """People by given name first: "Trần Văn An" before "Nguyễn Thị Bình"; same given names by the rest."""
    words = (full_name or "").split()
    given, rest = (words[-1], " ".join(words[:-1])) if words else ("", "")
    return vietnamese_sort_key(given), vietnamese_sort_key(rest)


def sorted_vietnamese(items: Iterable[T], *, key=str) -> list[T]:
    """`items` in Vietnamese order of `key(item)` (by default the item's text)."""
    return sorted(items, key=lambda item: vietnamese_sort_key(key(item)))


# person_name_collation_key's codes: two digits each, "00" ending a word list so that "An" sorts before "Anh".
_END, _SPACE, _OTHER, _NUMBER, _FIRST_LETTER = "00", "01", "02", "03", 10


@functools.cache
def _character_codes(char: str) -> tuple[str, str, str]:
    """`vietnamese_sort_key`'s letter, tone and case of one character, as digits (cached: names share letters)."""
    letter, tone = _letter_and_tone(char)
    if letter in _RANK:
        code = f"{_FIRST_LETTER + _RANK[letter]:02d}"
    elif char.isspace():
        code = _SPACE
    else:
        code = _OTHER + str(len(letter)) + "".join(f"{ord(part):07d}" for part in letter)
    return code, str(tone), "1" if char.isupper() else "0"


@functools.lru_cache(maxsize=1 << 16)  # given names and family-and-middle names repeat across a roster
def _collation_text(text: str) -> str:
    letters, tones, cases = [], [], []
    for token in _TOKENS.findall(unicodedata.normalize("NFC", text).strip()):
        if token.isdecimal():
            digits = str(int(token))
            letters.append(f"{_NUMBER}{len(digits):02d}{digits}")
            continue
        code, tone, case = _character_codes(token)
        letters.append(code)
        tones.append(tone)
        cases.append(case)
    # Tones and cases are compared only between equal letters, so they come in equal numbers: no end mark needed.
    return "".join(letters) + _END + "".join(tones) + "".join(cases)


def person_name_collation_key(full_name: str) -> str:
    """`person_name_sort_key` as a text of digits whose plain order is the key's order.

    Digits only, because a text column is ordered by the database's collation (PostgreSQL's en_US or ICU, SQLite's
    bytes), and every collation orders strings of digits the same way, digit by digit. Each letter, space, number or
    other character becomes a code of fixed shape, the given name's then the rest's, each with its tones and cases.
    """
    words = (full_name or "").split()
    given, rest = (words[-1], " ".join(words[:-1])) if words else ("", "")
    return _collation_text(given) + _collation_text(rest)
