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


def test_a_titled_sheet_has_the_title_block_frozen_headings_and_an_a4_print_set_up():
    import datetime

    from django.utils import translation

    from common.xlsx import title_block

    workbook = Workbook()
    with translation.override("vi"):
        header_row = title_block(
            workbook.active,
            title="Kết quả triển khai",
            unit="Đảng bộ xã A",
            day=datetime.date(2026, 3, 1),
            lines=[("Ngày chốt số liệu", "28/02/2026")],
            headings=["Mã", "Tổ chức đảng", "Đảng viên"],
        )
    append_plain(workbook.active, ["XA", "Đảng bộ xã A", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Kết quả triển khai" and sheet["A1"].font.b
    assert rows[1][:2] == ["Tổ chức đảng", "Đảng bộ xã A"]
    assert rows[2][:2] == ["Ngày", "01/03/2026"]
    assert rows[header_row - 1] == ["Mã", "Tổ chức đảng", "Đảng viên"]
    assert rows[header_row] == ["XA", "Đảng bộ xã A", 12]
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # 9: A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
