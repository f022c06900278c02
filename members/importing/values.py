"""Turning what a spreadsheet cell holds into a member field's value.

Each parser returns the value (or None for an empty cell) and raises `CellError` with a message
for the official. Dates: a real date cell, an Excel serial number, dd/mm/yyyy (also with - or .),
ISO yyyy-mm-dd, or a year alone (→ `PartialDate`, stored as 1 January with a review flag).
"""

import datetime
import math
import re
from decimal import Decimal

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from common.text import fold_for_search, normalize_name, normalize_phone

from ..choices import IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
from ..models import Member
from ..validation import normalize_background_file_number
from .reading import as_date

# Excel's day 0 (with its 1900 leap-year bug, serials after 28/02/1900 count from 30/12/1899).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
MIN_YEAR = 1880


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PartialDate(datetime.date):
    """A date of which the source gave only the year (or month and year); stored as its first day."""

    precision = "year"


DATE_FIELDS = {
    field.name for field in Member._meta.concrete_fields if isinstance(field, models.DateField) and field.editable
}
BOOLEAN_FIELDS = {"is_army", "is_police", "is_retired", "is_eligible"}
CHOICE_FIELDS: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "political_theory": PoliticalTheory,
    "standing": Standing,
    "status": MemberStatus,
    "leaving_form": LeavingForm,
    "ineligibility_reason": IneligibilityReason,
}
# Usual spellings in rosters, beside the choices' own labels (in both languages) and values.
_CHOICE_ALIASES = {
    "sex": {"nam": Sex.MALE, "nu": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE},
    "standing": {"du bi": Standing.PROBATIONARY, "chinh thuc": Standing.OFFICIAL, "dv du bi": Standing.PROBATIONARY},
    "political_theory": {
        "so cap": PoliticalTheory.ELEMENTARY,
        "trung cap": PoliticalTheory.INTERMEDIATE,
        "cao cap": PoliticalTheory.ADVANCED,
        "cu nhan": PoliticalTheory.BACHELOR,
    },
    "status": {
        "dang sinh hoat": MemberStatus.ACTIVE,
        "binh thuong": MemberStatus.ACTIVE,
        "mien cong tac va sinh hoat": MemberStatus.EXEMPT,
        "mien sinh hoat": MemberStatus.EXEMPT,
        "tam mien": MemberStatus.TEMPORARILY_EXEMPT,
        "da chuyen di": MemberStatus.TRANSFERRED_OUT,
        "chuyen sinh hoat tam thoi": MemberStatus.TRANSFERRED_OUT_TEMPORARILY,
        "ra khoi dang": MemberStatus.LEFT,
        "tu tran": MemberStatus.DECEASED,
        "da mat": MemberStatus.DECEASED,
    },
    "leaving_form": {
        "xin ra": LeavingForm.RESIGNED,
        "xoa ten": LeavingForm.STRUCK_OFF,
        "khai tru": LeavingForm.EXPELLED,
    },
}
_TRUE = {"x", "co", "yes", "true", "1", "v", "dung"}
_FALSE = {"khong", "no", "false", "0", "sai"}
_choice_lookup: dict[str, dict[str, str]] = {}


def _lookup_for(field: str) -> dict[str, str]:
    if field not in _choice_lookup:
        choices = CHOICE_FIELDS[field]
        lookup = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in choices.choices:
                    lookup[fold_for_search(str(label))] = value
        for value in choices.values:
            lookup[fold_for_search(value.replace("_", " "))] = value
            lookup[value] = value
        lookup.update(_CHOICE_ALIASES.get(field, {}))
        _choice_lookup[field] = lookup
    return _choice_lookup[field]


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _checked_date(year: int, month: int, day: int) -> datetime.date:
    if year < MIN_YEAR:
        raise CellError(_("The year %(year)s is too early for a member's record.") % {"year": year})
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(
            _("%(day)02d/%(month)02d/%(year)s is not a date.") % {"day": day, "month": month, "year": year}
        ) from error


def _is_finite(number) -> bool:
    """False for infinities and NaN (an XLSX cell can hold 1e999), and for integers too large to be a date."""
    try:
        return math.isfinite(number)
    except (OverflowError, ValueError):
        return False


def _partial(year: int, month: int = 1) -> PartialDate:
    date = _checked_date(year, month, 1)
    return PartialDate(date.year, date.month, date.day)


def parse_date(value) -> datetime.date | None:
    if _is_empty(value):
        return None
    real = as_date(value)
    if real:
        return real
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if not _is_finite(value):
            raise CellError(_("%(value)s is not a date.") % {"value": value})
        number = int(value)
        if MIN_YEAR <= number <= 2100:
            return _partial(number)
        if 1 <= number <= 80_000:
            return _EXCEL_EPOCH + datetime.timedelta(days=number)
        raise CellError(_("%(value)s is not a date.") % {"value": value})
    text = str(value).strip()
    if match := _DMY.match(text):
        return _checked_date(int(match[3]), int(match[2]), int(match[1]))
    if match := _YMD.match(text):
        return _checked_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _YEAR.match(text):
        return _partial(int(match[1]))
    if match := _MONTH_YEAR.match(text):
        if not 1 <= int(match[1]) <= 12:
            raise CellError(_("%(value)s is not a date.") % {"value": text})
        return _partial(int(match[2]), int(match[1]))
    # ASCII digits only: str.isdigit() also accepts superscripts and other digits int() cannot read.
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 80_000:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
    raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 19/05/1975.") % {"value": text})


def _digits(value, *, width: int, pad_text: bool = True) -> str:
    """Identifiers typed into Excel as numbers lose their leading zeros: put them back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:0{width}d}"
    text = re.sub(r"[\s.\-]", "", str(value))
    if pad_text and text.isdigit() and width - 2 <= len(text) < width:
        return text.zfill(width)
    return text


def parse_value(field: str, value):
    """The field value for a cell, or None when the cell is empty."""
    if _is_empty(value):
        return None
    if field in DATE_FIELDS:
        return parse_date(value)
    if field in BOOLEAN_FIELDS:
        if isinstance(value, bool):
            return value
        folded = fold_for_search(str(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise CellError(_("“%(value)s” is neither yes nor no (write “x” or “Có” for yes).") % {"value": value})
    if field in CHOICE_FIELDS:
        folded = fold_for_search(str(value))
        lookup = _lookup_for(field)
        if folded in lookup:
            return lookup[folded]
        labels = ", ".join(f"“{label}”" for label in CHOICE_FIELDS[field].labels)
        raise CellError(_("“%(value)s” is not one of %(labels)s.") % {"value": value, "labels": labels})
    if field == "card_number":
        return _digits(value, width=8)
    if field == "citizen_id":
        # Typed text is never padded: 11 digits may be a typing slip that pads into someone else's number; the
        # row says the length is wrong (members.validation.citizen_id_errors). A spreadsheet number cell has
        # certainly lost its zero (numbers have none), and is padded.
        return _digits(value, width=12, pad_text=False)
    if field == "phone":
        if isinstance(value, int | float) and not isinstance(value, bool) and _is_finite(value):
            return normalize_phone("0" + str(int(value)))
        return normalize_phone(str(value))
    if field == "background_file_number":
        return normalize_background_file_number(str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if field in ("full_name", "birth_name"):
        text = normalize_name(text)
    max_length = Member._meta.get_field(field).max_length
    if max_length and len(text) > max_length:
        raise CellError(
            _("This value has %(size)s characters; at most %(limit)s are allowed.")
            % {"size": len(text), "limit": max_length}
        )
    return text
