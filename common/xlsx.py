"""Writing text into spreadsheet cells so that a spreadsheet never runs it (CSV/formula injection).

A member's record holds text typed by members and officials; a cell starting with "=", "+", "-", "@" or a
tab would become a formula when the file is opened. Every XLSX we write sets text through `put_text`.

Every exported table also gets the same frame (`title_block` + `set_up_for_print`): a title block (the title,
the unit, the date and any further lines), the column headings frozen below it and repeated on every printed
page, and an A4 page set-up fitted to the page's width, so that a sheet prints as a document does.
"""

import datetime

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

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


TITLE_FONT = Font(name="Times New Roman", size=14, bold=True)
BOLD = Font(bold=True)
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
# The sheet's margins in inches (openpyxl's unit), close to those of a party document (common.documents).
PRINT_MARGINS = PageMargins(left=0.8, right=0.6, top=0.8, bottom=0.8, header=0.3, footer=0.3)


def title_block_lines(*, title: str, unit: str, day: datetime.date, lines=()) -> list[list]:
    """The rows above a table: its title, "<Unit>: ...", "<Date>: dd/mm/yyyy", further (label, value) rows."""
    rows = [[title], [_("Unit"), unit], [_("Date"), f"{day:%d/%m/%Y}"]]
    rows.extend([label, value] for label, value in lines)
    rows.append([])
    return rows


def title_block(sheet, *, title: str, unit: str, day: datetime.date, headings: list[str], lines=()) -> int:
    """Write the title block and the bold column headings at the top of a (normal) sheet, set it up for print.

    Returns the row number of the headings: the table's data follow it.
    """
    for values in title_block_lines(title=title, unit=unit, day=day, lines=lines):
        append_plain(sheet, values)
    sheet.cell(row=1, column=1).font = TITLE_FONT
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=1).font = BOLD
    append_plain(sheet, headings)
    header_row = sheet.max_row
    for column in range(1, len(headings) + 1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font = BOLD
        cell.alignment = HEADING_ALIGNMENT
    set_up_for_print(sheet, header_row=header_row, landscape=len(headings) > 6)
    return header_row


def set_up_for_print(sheet, *, header_row: int, landscape: bool = False) -> None:
    """Freeze the rows down to the headings, repeat the headings on each printed page, A4 fitted to the width.

    Works on write-only sheets too (call it before the first row is appended).
    """
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PRINT_MARGINS
