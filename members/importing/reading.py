"""Opening a roster file and streaming its rows, with clear errors for files we cannot read.

XLSX is read with openpyxl in read-only mode and CSV through a streaming text decoder, so memory stays
flat whatever the number of rows. Every problem with the file as a whole raises `ImportFileError`
with a message for the official (the caller then writes nothing).
"""

import codecs
import contextlib
import csv
import dataclasses
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tcvn3  # noqa: F401  (registers the "tcvn3" codec)

ENCODINGS = {
    "utf-8": gettext_lazy("Unicode (UTF-8)"),
    "utf-8-sig": gettext_lazy("Unicode (UTF-8 with BOM)"),
    "cp1258": gettext_lazy("Windows-1258"),
    "tcvn3": gettext_lazy("TCVN3 (ABC, .VnTime fonts)"),
}
# Excel itself holds at most 32,767 characters in a cell; a roster cell is never near that.
MAX_CELL_CHARS = 4_000
# The header is looked for in the first rows (7-HSĐV files have a title above it).
HEADER_SCAN_ROWS = 15
# Data rows checked for values under a blank header (the sign of merged header cells).
MERGED_HEADER_CHECK_ROWS = 50
MINIMUM_RECOGNISED_HEADERS = 2
_SAMPLE_BYTES = 256 * 1024
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VIETNAMESE_LETTERS = frozenset(tcvn3.TCVN3_LETTERS | {letter.upper() for letter in tcvn3.TCVN3_LETTERS})
_WORD = re.compile(r"\S+")

csv.field_size_limit(MAX_CELL_CHARS * 4)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, for the official."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass
class Table:
    """A roster's header and a one-pass iterator over its data rows as (row number, values)."""

    kind: str  # "xlsx" or "csv"
    encoding: str
    sheet_name: str
    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, list]]
    total_rows: int | None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def file_size_message(limit: int) -> str:
    return _("The file is larger than %(limit)s, the most a roster may be (setting IMPORT_MAX_FILE_BYTES).") % {
        "limit": filesizeformat(limit)
    }


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows, the most a roster may have (setting IMPORT_MAX_ROWS).")
        % {"limit": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _check_row_shape(row_number: int, values: list) -> None:
    """Refuse, as the rows stream past, a file with more rows or columns than the operator allows."""
    if row_number > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows()
    if len(values) > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(
            _(
                "Row %(row)s has %(size)s columns; a roster may have at most %(limit)s "
                "(setting IMPORT_MAX_COLUMNS). Delete the empty columns after the last one used."
            )
            % {"row": row_number, "size": f"{len(values):,}", "limit": f"{settings.IMPORT_MAX_COLUMNS:,}"}
        )
    _check_cell_sizes(row_number, values)


def _check_cell_sizes(row_number: int, values: list) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise ImportFileError(
                _("Cell %(cell)s holds %(size)s characters; a cell may hold at most %(limit)s.")
                % {
                    "cell": f"{column_letter(index)}{row_number}",
                    "size": f"{len(value):,}",
                    "limit": f"{MAX_CELL_CHARS:,}",
                }
            )


# -- encodings -------------------------------------------------------------------------------------------


def _invalid_word_count(text: str) -> int:
    """Words with something no Vietnamese word has: a symbol among letters, a stray combining mark, two tones."""
    invalid = 0
    for word in _WORD.findall(text):
        word = word.strip(".,;:()\"'!?-/")
        if not word or word.isascii():
            continue
        letters_ok = all(char.isascii() or char in _VIETNAMESE_LETTERS for char in word)
        tones = sum(1 for char in unicodedata.normalize("NFD", word) if char in _TONE_MARKS)
        if not letters_ok or tones > 1:
            invalid += 1
    return invalid


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes say so; otherwise the legacy encoding whose reading
    gives the fewest impossible Vietnamese words (Windows-1258 or TCVN3)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {}
    for encoding in ("cp1258", "tcvn3"):
        text = unicodedata.normalize("NFC", sample.decode(encoding, errors="replace"))
        scores[encoding] = _invalid_word_count(text) + 5 * text.count("\ufffd")
    return min(scores, key=lambda encoding: (scores[encoding], encoding != "cp1258"))


# -- the two formats ---------------------------------------------------------------------------------------


def _locate_header(rows: Iterator[tuple[int, list]], score: Callable[[list[str]], int]):
    """Read up to HEADER_SCAN_ROWS rows; return (header row number, headers, rows read after it)."""
    scanned = []
    for row_number, values in rows:
        scanned.append((row_number, values))
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    best = None
    for position, (row_number, values) in enumerate(scanned):
        headers = [_clean_text(str(value)) if value is not None else "" for value in values]
        found = score(headers)
        if found >= MINIMUM_RECOGNISED_HEADERS and (best is None or found > best[0]):
            best = (found, position, row_number, headers)
    if best is None:
        return None
    _found, position, row_number, headers = best
    while headers and not headers[-1]:
        headers.pop()
    return row_number, headers, scanned[position + 1 :]


def _check_merged_header(headers: list[str], header_row: int, first_rows: list[tuple[int, list]]) -> None:
    blank_columns = {index for index, header in enumerate(headers) if not header}
    width = len(headers)
    for row_number, values in first_rows[:MERGED_HEADER_CHECK_ROWS]:
        for index, value in enumerate(values):
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                continue
            if index in blank_columns or index >= width:
                raise ImportFileError(
                    _(
                        "Column %(column)s has values (row %(row)s) but no header in row %(header_row)s. "
                        "Header cells may be merged: give every column its own header cell."
                    )
                    % {"column": column_letter(index), "row": row_number, "header_row": header_row}
                )


def _xlsx_rows(sheet) -> Iterator[tuple[int, list]]:
    # Read-only sheets are parsed as they are read: a damaged sheet fails here, not in load_workbook.
    rows = sheet.iter_rows(values_only=True)
    row_number = 0
    while True:
        try:
            values = list(next(rows))
        except StopIteration:
            return
        except Exception as error:  # openpyxl raises many kinds (XML, number, date, shared-string errors)
            raise ImportFileError(
                _("Row %(row)s of the workbook cannot be read. Open the file in Excel and save it again.")
                % {"row": row_number + 1}
            ) from error
        row_number += 1
        _check_row_shape(row_number, values)
        yield row_number, [_clean_text(value) if isinstance(value, str) else value for value in values]


@contextlib.contextmanager
def _open_xlsx(path, *, sheet_name: str, score):
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl refuses paths whose name does not end in .xlsx.
    handle = open(path, "rb")  # noqa: SIM115  (closed in the finally below)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        handle.close()  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx). Open it in Excel and save it again.")
        ) from error
    try:
        if sheet_name and sheet_name not in workbook.sheetnames:
            raise ImportFileError(
                _("The workbook has no sheet named “%(name)s”. Its sheets are: %(sheets)s.")
                % {"name": sheet_name, "sheets": ", ".join(workbook.sheetnames)}
            )
        for name in [sheet_name] if sheet_name else workbook.sheetnames:
            sheet = workbook[name]
            # The size the sheet declares refuses a large file at once; one that declares none is counted as read.
            if (sheet.max_row or 0) > settings.IMPORT_MAX_ROWS:
                raise _too_many_rows()
            rows = _xlsx_rows(sheet)
            located = _locate_header(rows, score)
            if located is None:
                continue
            header_row, headers, buffered = located
            _check_merged_header(headers, header_row, buffered)
            total = sheet.max_row - header_row if sheet.max_row and sheet.max_row > 1 else None
            yield Table("xlsx", "", name, header_row, headers, _chain(buffered, rows), total)
            return
        raise ImportFileError(_no_header_message(sheet_name))
    finally:
        workbook.close()
        handle.close()


def _no_header_message(sheet_name: str) -> str:
    example = _("for example “Họ và tên”, “Ngày sinh”, “Số thẻ đảng viên”")
    if sheet_name:
        return _("The sheet “%(name)s” has no header row we recognise (%(example)s).") % {
            "name": sheet_name,
            "example": example,
        }
    return _("No sheet of the file has a header row we recognise (%(example)s). Is it the right file?") % {
        "example": example
    }


def _chain(buffered, rest) -> Iterator[tuple[int, list]]:
    yield from buffered
    yield from rest


def _csv_rows(text_stream, delimiter: str, encoding: str) -> Iterator[tuple[int, list]]:
    reader = csv.reader(text_stream, delimiter=delimiter)
    row_number = 0
    try:
        for row_number, values in enumerate(reader, start=1):  # noqa: B007
            _check_row_shape(row_number, values)
            # Only the first bytes are checked for NUL before reading (see _open_csv); no text holds one.
            if any("\x00" in value for value in values):
                raise ImportFileError(_("The file is not a spreadsheet or a CSV text file."))
            yield row_number, [_clean_text(value) for value in values]
    except csv.Error as error:
        raise ImportFileError(
            _(
                "Row %(row)s of the CSV file cannot be read (a cell larger than %(limit)s characters, or a broken quote)."
            )
            % {"row": row_number + 1, "limit": f"{MAX_CELL_CHARS:,}"}
        ) from error
    except UnicodeDecodeError as error:
        raise ImportFileError(_not_in_encoding(row_number + 1, encoding)) from error


def _not_in_encoding(row_number: int, encoding: str) -> str:
    return _("Row %(row)s is not valid %(encoding)s text. Choose the file's encoding and upload it again.") % {
        "row": row_number,
        "encoding": ENCODINGS.get(encoding, encoding),
    }


def _delimiter(first_line: str) -> str:
    return max([",", ";", "\t"], key=first_line.count)


@contextlib.contextmanager
def _open_csv(path, *, encoding: str, sample: bytes, score):
    if b"\x00" in sample:
        raise ImportFileError(_("The file is not a spreadsheet or a CSV text file."))
    encoding = encoding or detect_encoding(sample)
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            first_line = text.readline()
        except UnicodeDecodeError as error:
            raise ImportFileError(_not_in_encoding(1, encoding)) from error
        text.seek(0)
        rows = _csv_rows(text, _delimiter(first_line), encoding)
        located = _locate_header(rows, score)
        if located is None:
            raise ImportFileError(_no_header_message(""))
        header_row, headers, buffered = located
        _check_merged_header(headers, header_row, buffered)
        yield Table("csv", encoding, "", header_row, headers, _chain(buffered, rows), None)


def _check_uncompressed_size(path) -> None:
    """An XLSX is a zip: a small file may expand to gigabytes of XML. Its directory gives each part's size
    before anything is expanded; zipfile stops reading a part that expands beyond the size given there."""
    with zipfile.ZipFile(path) as archive:
        expanded = sum(part.file_size for part in archive.infolist())
    if expanded > settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _(
                "The workbook expands to %(size)s when opened, more than the %(limit)s a roster may "
                "(setting IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES)."
            )
            % {
                "size": filesizeformat(expanded),
                "limit": filesizeformat(settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES),
            }
        )


@contextlib.contextmanager
def open_table(
    path, *, original_name: str, score: Callable[[list[str]], int], encoding: str = "", sheet_name: str = ""
):
    """Open the roster at `path` and yield its `Table`. `score(headers)` says how many headers are recognised."""
    if encoding and encoding not in ENCODINGS:
        raise ImportFileError(_("Unknown encoding “%(name)s”.") % {"name": encoding})
    with open(path, "rb") as raw:
        sample = raw.read(_SAMPLE_BYTES)
    if not sample.strip():
        raise ImportFileError(_("The file is empty."))
    name = original_name.lower()
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx."))
    if sample.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path):
        _check_uncompressed_size(path)
        opener = _open_xlsx(path, sheet_name=sheet_name, score=score)
    elif name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("The file is named .xlsx but is not an Excel workbook. Open it in Excel and save it again.")
        )
    else:
        opener = _open_csv(path, encoding=encoding, sample=sample, score=score)
    with opener as table:
        yield table


def as_date(value) -> datetime.date | None:
    """A spreadsheet's own date value (openpyxl gives datetimes), if it is one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None
