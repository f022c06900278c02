"""Checking a column's mapping against its values.

A header names a column, but a wrong or ambiguous header ("Ngày" over the phone numbers, two columns swapped)
makes every row fail with the same message. The preview keeps a sample of each mapped column's cells; a column
whose values mostly fail the field it was mapped to and mostly fit another field is named at the top of the
preview, with that field offered (`import_job_remap_column`)."""

import re

from django.utils.translation import gettext as _

from ..fields import IMPORTABLE_FIELDS
from ..validation import CARD_NUMBER_RE, PHONE_RE
from . import headers as header_tools
from .values import BOOLEAN_FIELDS, CHOICE_FIELDS, DATE_FIELDS, CellError, parse_value

# Cells read per column; enough to tell a column of dates from one of phone numbers.
COLUMN_SAMPLE = 200
# Fewer cells than this say nothing about a column.
MINIMUM_SAMPLE = 3
# Fields whose values can fail: a free-text field fits anything, so it is never checked nor offered.
CHECKED_FIELDS = [
    field for field in IMPORTABLE_FIELDS if field in DATE_FIELDS or field in BOOLEAN_FIELDS or field in CHOICE_FIELDS
] + ["citizen_id", "card_number", "phone"]
_CITIZEN_ID = re.compile(r"^[0-9]{12}$")


def fits(field: str, raw) -> bool:
    """Whether a cell reads as a valid value of `field`."""
    try:
        value = parse_value(field, raw)
    except CellError:
        return False
    if value is None:
        return False
    if field == "citizen_id":
        return bool(_CITIZEN_ID.match(value))
    if field == "card_number":
        return bool(CARD_NUMBER_RE.match(value))
    if field == "phone":
        return bool(PHONE_RE.match(value))
    return True


def column_warnings(mapping: dict[str, str], samples: dict[str, list], labels: dict[str, str]) -> list[dict]:
    """For each mapped column whose sample mostly fails its field and mostly fits another: {"index", "column",
    "field", "suggested", "failing", "checked", "fitting"}.

    Among fields that fit as well (the date fields all fit a column of dates), the field of another failing
    column comes first (two swapped headers), then a field a new member needs, then one not mapped yet."""
    failing = {}
    for index, field in mapping.items():
        sample = samples.get(index, [])
        if field in CHECKED_FIELDS and len(sample) >= MINIMUM_SAMPLE:
            count = sum(not fits(field, raw) for raw in sample)
            if count * 2 > len(sample):
                failing[index] = count
    mapped, failing_fields = set(mapping.values()), {mapping[index] for index in failing}

    def rank(candidate: str) -> int:
        if candidate in failing_fields:
            return 0
        if candidate in mapped:
            return 3
        return 1 if candidate in ("date_of_birth", "joined_on", "sex") else 2

    warnings = []
    for index, count in failing.items():
        field, sample = mapping[index], samples[index]
        scored = [
            (sum(fits(candidate, raw) for raw in sample), rank(candidate), candidate)
            for candidate in CHECKED_FIELDS
            if candidate != field
        ]
        fitting, _rank, best = min(scored, key=lambda score: (-score[0], score[1]))
        if fitting * 2 <= len(sample):
            continue
        warnings.append(
            {
                "index": index,
                "column": labels.get(index, index),
                "field": field,
                "suggested": best,
                "failing": count,
                "fitting": fitting,
                "checked": len(sample),
            }
        )
    return warnings


def warning_text(warning: dict) -> str:
    return _(
        "Column %(column)s: %(failing)s of %(checked)s values checked are not a valid “%(field)s”, and"
        " %(fitting)s fit “%(suggested)s”."
    ) % {
        "column": warning["column"],
        "failing": warning["failing"],
        "checked": warning["checked"],
        "field": header_tools.field_label(warning["field"]),
        "fitting": warning["fitting"],
        "suggested": header_tools.field_label(warning["suggested"]),
    }
