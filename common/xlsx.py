"""Writing text into spreadsheet cells so that a spreadsheet never runs it (CSV/formula injection).

A member's record holds text typed by members and officials; a cell starting with "=", "+", "-", "@" or a
tab would become a formula when the file is opened. Every XLSX we write sets text through `put_text`.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def without_illegal_characters(value: str) -> str:
    """Text with the characters XLSX cannot hold (control characters) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def put_value(cell, value) -> None:
    """Store `value` in `cell`; text always as plain text, shown with a quote prefix when it looks like a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    value = without_illegal_characters(value)
    cell.value = value
    # Assigning a str starting with "=" makes openpyxl store a formula: force a plain string.
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True


def append_plain(sheet, values: list) -> None:
    """Append a row to a (normal, not write-only) worksheet through `put_value`."""
    sheet.append([None] * len(values))
    for column, value in enumerate(values, start=1):
        put_value(sheet.cell(row=sheet.max_row, column=column), value)
