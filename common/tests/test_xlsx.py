"""Text written into spreadsheets is never run as a formula, whatever it starts with."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from common.xlsx import append_plain

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_formula_like_text_is_stored_as_text_with_a_quote_prefix(dangerous):
    workbook = Workbook()
    append_plain(workbook.active, ["Tiêu đề", 3])
    append_plain(workbook.active, [dangerous, 12.5, "Nguyễn Văn An\x07"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("xl/worksheets/sheet1.xml")
    rows = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [cell.value for cell in rows[0]] == ["Tiêu đề", 3, None]
    text, number, name = rows[1]
    assert (text.value, text.data_type, text.quotePrefix) == (dangerous, "s", True)
    assert number.value == 12.5 and not number.quotePrefix
    assert name.value == "Nguyễn Văn An" and not name.quotePrefix
