"""Choice lists in natural Vietnamese order."""

from orgunits.ordering import in_vietnamese_order, vietnamese_sort_key


def test_numbers_compare_as_numbers():
    names = ["Chi bộ thôn 10", "Chi bộ thôn 2", "Chi bộ thôn 1", "Chi bộ thôn 100"]
    assert in_vietnamese_order(names) == ["Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 10", "Chi bộ thôn 100"]


def test_letters_follow_the_vietnamese_alphabet():
    names = ["Yên Phụ", "Đông Anh", "Dương Nội", "Ân Thi", "An Khánh", "Ăn Sáng", "Ô Chợ Dừa", "Ơn Trên", "Ưu"]
    assert in_vietnamese_order(names) == [
        "An Khánh",
        "Ăn Sáng",
        "Ân Thi",
        "Dương Nội",
        "Đông Anh",
        "Ô Chợ Dừa",
        "Ơn Trên",
        "Ưu",
        "Yên Phụ",
    ]


def test_tones_only_break_ties_after_the_letters():
    assert in_vietnamese_order(["mả", "ma", "mà", "mạ", "mã", "má", "mai"]) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
        "mai",
    ]
    assert vietnamese_sort_key("Hà") < vietnamese_sort_key("Hai")
