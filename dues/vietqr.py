"""VietQR payment codes: the NAPAS 24/7 transfer-to-account payload in the EMVCo merchant-presented format.

Each data object is ID (2 digits), length (2 digits), value. The fields written (after NAPAS's VietQR
specification as summarised in github.com/subiz/vietqr and github.com/giautm/emvqr-go):

    00 "01"            payload format indicator
    01 "12"            point of initiation: dynamic (this amount, this month)
    38 merchant account information, NAPAS:
         00 "A000000727"   NAPAS's GUID
         01 beneficiary:   00 the bank's BIN, 01 the account number
         02 "QRIBFTTA"     service: transfer to an account
    53 "704"           currency: đồng
    54 amount          whole đồng, digits only
    58 "VN"            country
    62 additional data: 08 purpose of the transfer (the ledger's reference)
    63 CRC             CRC-16/CCITT-FALSE of everything before it, "6304" included, as 4 upper-case hex digits
"""

import datetime
import re
from decimal import Decimal

NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
PURPOSE_MAX_LENGTH = 25

# The reference a member's transfer carries, and the bank statement is matched by: "DP" (đảng phí), the member's
# id, "T" (tháng), the month as YYYYMM. Letters and digits only: banks drop or change other characters.
REFERENCE_PATTERN = re.compile(r"DP(\d{1,12})T(\d{4})(\d{2})", re.IGNORECASE)


def payment_reference(*, member_id: int, month: datetime.date) -> str:
    return f"DP{member_id}T{month:%Y%m}"


def parse_reference(text: str) -> tuple[int, datetime.date] | None:
    """The member id and month of the first reference found in a transfer's description, or None."""
    for match in REFERENCE_PATTERN.finditer((text or "").replace(" ", "")):
        year, month = int(match[2]), int(match[3])
        if 1 <= month <= 12:
            return int(match[1]), datetime.date(year, month, 1)
    return None


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def payload(*, bank_bin: str, account_number: str, amount: Decimal | int, purpose: str) -> str:
    """The text of the QR code for transferring `amount` đồng to the account, with `purpose` as its description."""
    if not re.fullmatch(r"\d{6}", bank_bin):
        raise ValueError("A bank BIN has 6 digits")
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.to_integral_value():
        raise ValueError("A VietQR amount is a positive whole number of đồng")
    if not purpose.isascii() or len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValueError("The purpose is at most 25 ASCII characters")
    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", TRANSFER_TO_ACCOUNT)
    text = (
        _field("00", "01")
        + _field("01", "12")
        + _field("38", merchant)
        + _field("53", "704")
        + _field("54", str(int(amount)))
        + _field("58", "VN")
        + _field("62", _field("08", purpose))
        + "6304"
    )
    return text + f"{crc16_ccitt_false(text.encode('ascii')):04X}"


def has_valid_checksum(text: str) -> bool:
    """Whether the last four characters are the CRC of everything before them (a payload read back)."""
    if len(text) < 8 or text[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt_false(text[:-4].encode('utf-8')):04X}" == text[-4:].upper()
