"""Folding for search: the fast path (one translation table) gives what the rule gives, on any text."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from common.text import fold_for_search

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


def folded_by_the_rule(text: str) -> str:
    """NFD, the combining marks dropped, đ/Đ made d/D, white space made single spaces, lower case."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def test_a_vietnamese_name_folds_to_plain_letters():
    assert fold_for_search("  Nguyễn   Văn\tĐỨC ") == "nguyen van duc"
    assert fold_for_search("Trần Thị Ngọc Ánh") == "tran thi ngoc anh"
    assert fold_for_search("") == ""


def test_text_beyond_the_table_folds_the_long_way():
    # Hangul (one syllable decomposes into three jamo), a Greek letter with a mark, a non-breaking space, an
    # ideographic space and a combining mark alone.
    for text in ("김 민준", "Ἀθῆναι", "Lê\u00a0Văn", "Lê\u3000Văn", "A\u0301 b", "\u0303"):
        assert fold_for_search(text) == folded_by_the_rule(text)


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " \t\n0123456789-.'"), max_size=40))
def test_vietnamese_text_folds_as_the_rule_says(text):
    assert fold_for_search(text) == folded_by_the_rule(text)


@given(st.text(max_size=30))
def test_any_text_folds_as_the_rule_says(text):
    assert fold_for_search(text) == folded_by_the_rule(text)
