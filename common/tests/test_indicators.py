import pytest

from common.indicators import Indicator, ratio, register


def test_an_indicator_needs_exactly_one_way_to_get_its_value():
    with pytest.raises(ValueError):
        Indicator(key="nothing", label="Nothing")
    with pytest.raises(ValueError):
        Indicator(key="both", label="Both", compute=lambda target, as_of: 1, ratio_of=("a", "b"))


def test_a_ratio_of_unregistered_indicators_is_refused():
    with pytest.raises(ValueError, match="unregistered"):
        register(Indicator(key="test_rate", label="Rate", ratio_of=("test_not_there", "test_nor_this")))


def test_a_second_different_indicator_under_the_same_key_is_refused():
    register(Indicator(key="test_twice", label="Once", compute=lambda target, as_of: 1))
    with pytest.raises(ValueError, match="twice"):
        register(Indicator(key="test_twice", label="Twice", compute=lambda target, as_of: 2))


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"), [(1, 3, 33.3), (0, 5, 0.0), (2, 0, None), (None, 4, None)]
)
def test_a_ratio_is_a_percentage_with_one_decimal_or_nothing(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected
