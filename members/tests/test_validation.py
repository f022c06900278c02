import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from common.text import normalize_phone
from members.choices import Sex
from members.tests.factories import citizen_id_for
from members.validation import CITIZEN_ID_PROVINCE_CODES, citizen_id_errors

BORN_1962 = datetime.date(1962, 4, 30)


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in the source language; test_translations.py checks the Vietnamese.
    with translation.override("en"):
        yield


def test_a_well_formed_citizen_id_for_a_man_born_in_1962_has_no_errors():
    assert citizen_id_errors("001062012345", sex=Sex.MALE, date_of_birth=BORN_1962) == []


@pytest.mark.parametrize("value", ["00106201234", "0010620123456", "00106201234A", ""])
def test_a_citizen_id_must_have_exactly_twelve_digits(value):
    assert citizen_id_errors(value, sex=Sex.MALE, date_of_birth=BORN_1962) == ["A citizen ID has exactly 12 digits."]


@pytest.mark.parametrize("province", ["000", "003", "099", "100", "999"])
def test_a_citizen_id_must_start_with_a_real_province_code(province):
    errors = citizen_id_errors(f"{province}062012345", sex=Sex.MALE, date_of_birth=BORN_1962)
    assert len(errors) == 1 and province in errors[0]


def test_the_fourth_digit_must_agree_with_the_sex():
    errors = citizen_id_errors("001162012345", sex=Sex.MALE, date_of_birth=BORN_1962)
    assert errors == ["The fourth digit of the citizen ID is for a female, but the record says male."]


def test_the_fourth_digit_must_agree_with_the_century_of_birth():
    errors = citizen_id_errors("001262012345", sex=Sex.MALE, date_of_birth=BORN_1962)
    assert errors == ["The fourth digit of the citizen ID does not match the century of the date of birth."]


def test_digits_five_and_six_must_be_the_year_of_birth():
    errors = citizen_id_errors("001063012345", sex=Sex.MALE, date_of_birth=BORN_1962)
    assert errors == ["Digits 5–6 of the citizen ID (63) do not match the year of birth 1962."]


def test_a_woman_born_in_2001_has_century_digit_three():
    assert citizen_id_errors("079301000001", sex=Sex.FEMALE, date_of_birth=datetime.date(2001, 1, 1)) == []


@given(
    sex=st.sampled_from([Sex.MALE, Sex.FEMALE]),
    date_of_birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    province=st.sampled_from(sorted(CITIZEN_ID_PROVINCE_CODES)),
    serial=st.integers(min_value=0, max_value=999_999),
)
def test_every_citizen_id_built_by_the_rules_is_accepted(sex, date_of_birth, province, serial):
    citizen_id = citizen_id_for(sex=sex, date_of_birth=date_of_birth, serial=serial, province=province)
    assert citizen_id_errors(citizen_id, sex=sex, date_of_birth=date_of_birth) == []


@given(st.text(max_size=20))
def test_citizen_id_check_never_crashes_on_any_text(text):
    assert isinstance(citizen_id_errors(text, sex=Sex.MALE, date_of_birth=BORN_1962), list)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+++0912345678", "0912345678"),
        ("++84912345678", "0912345678"),
        ("+84 0912 345 678", "0912345678"),
        ("+84 2438 123 456", "02438123456"),
        ("０９１２３４５６７８", "0912345678"),
    ],
)
def test_phone_numbers_are_stored_in_the_national_format(typed, stored):
    assert normalize_phone(typed) == stored
