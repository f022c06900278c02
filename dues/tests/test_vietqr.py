"""The VietQR payload: its fields and its CRC, checked against public examples of the standard."""

import datetime

import pytest

from dues.vietqr import crc16_ccitt_false, has_valid_checksum, parse_reference, payload, payment_reference

# github.com/subiz/vietqr, README: Generate(120000, "970415", "0011001932418", "ủng hộ lũ lụt"), the description
# written without diacritics. The same library's output is accepted by the banks' apps.
SUBIZ_EXAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
    "62170813ung ho lu lut6304C15C"
)
# github.com/liopayvn/vietqr-php, README: a static merchant QR (another service code), CRC 5802.
LIOPAY_EXAMPLE = (
    "00020101021138480010A00000072701300006970403011621129950446040255204581253037045802VN5910PHUONG CAC"
    "6005HANOI62110307NPS686963045802"
)


def test_the_crc_is_ccitt_false_by_its_standard_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_the_payload_matches_a_published_example_field_for_field_and_checksum():
    assert (
        payload(bank_bin="970415", account_number="0011001932418", amount=120_000, purpose="ung ho lu lut")
        == SUBIZ_EXAMPLE
    )


@pytest.mark.parametrize("example", [SUBIZ_EXAMPLE, LIOPAY_EXAMPLE])
def test_published_payloads_pass_the_checksum_and_a_changed_one_fails(example):
    assert has_valid_checksum(example)
    assert not has_valid_checksum(example.replace("VN", "VM"))


def test_the_reference_the_ledger_matches_survives_a_bank_adding_text_and_spaces():
    reference = payment_reference(member_id=4321, month=datetime.date(2026, 11, 1))

    assert reference == "DP4321T202611"
    assert parse_reference("NGUYEN VAN AN chuyen tien dp 4321 t2026 11 FT2633") == (4321, datetime.date(2026, 11, 1))
    assert parse_reference("chuyen tien dang phi") is None


def test_an_amount_in_fractions_of_a_dong_has_no_code():
    with pytest.raises(ValueError):
        payload(bank_bin="970415", account_number="1", amount="1.5", purpose="x")
