"""Vietnamese order: the alphabet's own letters, tones after letters, numbers by value."""

from hypothesis import given
from hypothesis import strategies as st

from common.collation import person_name_collation_key, person_name_sort_key, sorted_vietnamese, vietnamese_sort_key


def test_d_with_stroke_comes_after_d_and_before_e_not_after_y():
    assert sorted_vietnamese(["Yên", "Đông", "Dung", "Em"]) == ["Dung", "Đông", "Em", "Yên"]


def test_the_letters_with_marks_follow_their_base_letter_in_the_alphabets_order():
    assert sorted_vietnamese(["ơ", "ô", "o", "â", "ă", "a", "ư", "u", "ê", "e"]) == [
        "a", "ă", "â", "e", "ê", "o", "ô", "ơ", "u", "ư",
    ]  # fmt: skip


def test_tones_decide_only_between_words_spelt_with_the_same_letters():
    assert sorted_vietnamese(["mạ", "mã", "mả", "má", "mà", "ma", "mai"]) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_numbers_compare_by_value():
    names = ["Chi bộ thôn 10", "Chi bộ thôn 2", "Chi bộ thôn 1", "Chi bộ thôn 100", "Chi bộ số 3"]

    assert sorted_vietnamese(names) == [
        "Chi bộ số 3", "Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 10", "Chi bộ thôn 100",
    ]  # fmt: skip


def test_a_shorter_name_comes_before_the_longer_names_it_begins():
    assert sorted_vietnamese(["Anh", "An Bình", "An"]) == ["An", "An Bình", "Anh"]


def test_composed_and_decomposed_spellings_sort_the_same():
    assert vietnamese_sort_key("Nguyễn Đức") == vietnamese_sort_key("Nguye\u0302\u0303n \u0110u\u031b\u0301c")


def test_people_are_listed_by_given_name_then_family_and_middle_names():
    people = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Văn An", "Phạm Đức"]

    assert sorted(people, key=person_name_sort_key) == ["Lê Văn An", "Trần Văn An", "Nguyễn Thị Bình", "Phạm Đức"]


NAMES = st.text(alphabet="aAăâdđĐeêoôơuưy19 àáảãạ", max_size=8)  # no "0": "09" and "9" are one number


@given(NAMES, NAMES)
def test_two_different_names_never_tie_so_the_order_does_not_depend_on_the_input(first, second):
    if first.strip() != second.strip():
        assert vietnamese_sort_key(first) != vietnamese_sort_key(second)


def test_the_letters_decide_before_any_tone():
    assert sorted_vietnamese(["Yên Phụ", "Đông Anh", "Dương Nội", "Ân Thi", "An Khánh", "Ăn Sáng", "Ô Chợ Dừa"]) == [
        "An Khánh", "Ăn Sáng", "Ân Thi", "Dương Nội", "Đông Anh", "Ô Chợ Dừa", "Yên Phụ",
    ]  # fmt: skip
    assert vietnamese_sort_key("Hà") < vietnamese_sort_key("Hai")


PEOPLE = st.text(alphabet="aAăÂbdDđĐeêgiInoôơuưyYz0129² -'.àáảãạẶỹ李", max_size=12)


def _order(first, second) -> int:
    return (first > second) - (first < second)


@given(PEOPLE, PEOPLE)
def test_the_stored_collation_key_orders_people_exactly_as_the_sort_key_does(first, second):
    assert _order(person_name_collation_key(first), person_name_collation_key(second)) == _order(
        person_name_sort_key(first), person_name_sort_key(second)
    )


def test_the_stored_collation_key_is_digits_so_every_database_collation_orders_it_alike():
    people = ["Trần Văn Ân", "Đỗ Thị Ánh", "Lê Văn An", "Nguyễn Văn Ẩn", "Phạm Thị Dung", "Vũ Văn Đông", "Ngô Bá Ăn"]

    assert person_name_collation_key("Hoàng Thị Ánh-Nguyệt 2").isdigit()
    assert sorted(people, key=person_name_collation_key) == [
        "Lê Văn An", "Đỗ Thị Ánh", "Ngô Bá Ăn", "Trần Văn Ân", "Nguyễn Văn Ẩn", "Phạm Thị Dung", "Vũ Văn Đông",
    ]  # fmt: skip
