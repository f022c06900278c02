"""Small lists in a file (officers, units): a CSV or XLSX sheet read as rows of text, its columns found by heading.

For the member roster, which has its own reader with limits and header guessing, see `members/importing`.
"""

import csv
import dataclasses
import io

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .text import fold_for_search

MAX_ROWS = 5_000
# 5,000 rows of a few short columns take a few hundred kilobytes; a larger file is not such a list.
MAX_FILE_BYTES = 1024 * 1024
FILE_SUFFIXES = (".csv", ".xlsx")
# How long a preview may be applied: after that the file is uploaded and checked again.
PREVIEW_SECONDS = 2 * 60 * 60


def read_table(
    name: str,
    content: bytes,
    headings: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]] | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) for each non-empty row of a CSV (UTF-8) or XLSX file. `headings` gives, per
    field, the folded headings that name its column; ValidationError if a column is missing or the file is too long.
    The columns of `optional` may be missing: their fields are then empty."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
            raise ValidationError(_("This file cannot be read as an Excel workbook (.xlsx).")) from error
        table = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text: save it as CSV UTF-8 or as .xlsx.")) from error
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    numbered = [(number, row) for number, row in enumerate(table, start=1) if any(row)]
    if not numbered:
        raise ValidationError(_("The file is empty."))
    (_number, header), body = numbered[0], numbered[1:]
    folded = [fold_for_search(heading) for heading in header]
    columns = {}
    for field, names in headings.items():
        found = [index for index, heading in enumerate(folded) if heading in names]
        if not found:
            raise ValidationError(_("The file has no column “%(column)s”.") % {"column": names[-1]})
        columns[field] = found[0]
    for field, names in (optional or {}).items():
        found = [index for index, heading in enumerate(folded) if heading in names]
        columns[field] = found[0] if found else None
    if len(body) > MAX_ROWS:
        raise ValidationError(_("At most %(count)s rows in one file.") % {"count": MAX_ROWS})
    return [
        (
            number,
            {field: (row[index] if index is not None and index < len(row) else "") for field, index in columns.items()},
        )
        for number, row in body
    ]


def choice_named(text: str, choices) -> str | None:
    """The value of `choices` (a TextChoices) that `text` names: its code, or its label in Vietnamese or English."""
    folded = fold_for_search(text)
    for value, label in choices.choices:
        names = {value}
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(fold_for_search(str(label)))
        if folded in names:
            return value
    return None


def row_problems(number: int, found: list[str]) -> ValidationError:
    """One wrong row with all its problems: its message names the row, and a page reads the parts (params)."""
    return ValidationError(
        _("Row %(row)s: %(problems)s"),
        params={"row": number, "problems": " ".join(str(text) for text in found), "found": [str(t) for t in found]},
    )


def problems_by_row(error: ValidationError) -> list[tuple[int | None, list[str]]]:
    """(row number, its problems) for each part of a refusal; (None, [message]) for a part naming no row."""
    parts = []
    for part in error.error_list if not hasattr(error, "error_dict") else [error]:
        params = getattr(part, "params", None) or {}
        if "row" in params and "found" in params:
            parts.append((params["row"], params["found"]))
        else:
            parts.extend((None, [message]) for message in part.messages)
    return parts


def rows_sign(rows: list, *, salt: str) -> str:
    """The rows of a checked file, signed for the preview's form: what the officer saw is what is applied."""
    return signing.dumps([dataclasses.asdict(row) for row in rows], salt=salt, compress=True)


def rows_unsign(token: str, *, salt: str, row_class) -> list:
    """The rows signed by `rows_sign`, as `row_class`; ValidationError when altered or older than a preview lasts."""
    try:
        values = signing.loads(token, salt=salt, max_age=PREVIEW_SECONDS)
        return [row_class(**value) for value in values]
    except (signing.BadSignature, TypeError) as error:
        raise ValidationError(_("This preview has expired or was changed: upload the file again.")) from error


def sample_workbook(headings: list[str], rows: list[list[str]]) -> bytes:
    """A small XLSX: the headings in bold, then example rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(heading) + 4)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
