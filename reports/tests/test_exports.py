"""XLSX and DOCX of a report and of a campaign's table, read back; formulas neutralised; the print view."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from common.tests.test_documents import assert_party_format
from orgunits.choices import UnitKind
from reports import exporting, services

from .factories import make_campaign, make_template


@pytest.fixture
def filed(tree):
    template = make_template(unit=tree.province, body="Thực hiện Kế hoạch số 12-KH/ĐU...")
    campaign = make_campaign(unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL)
    report = campaign.submissions.get(target_unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]
    services.submission_save(
        actor=secretary,
        submission=report,
        values={"households": 1234, "difficulties": '=HYPERLINK("http://x")', "members": 2, "members_note": "+1 mới"},
        number_symbol="05-BC/CB",
        signer_name="Nguyễn Văn An",
    )
    report = services.submission_submit(actor=secretary, submission=report)
    return campaign, report


def rows_of(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_report_xlsx_holds_every_field_with_the_computed_value_and_note(filed):
    campaign, report = filed
    sheet, rows = rows_of(exporting.submission_xlsx(report))

    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["Hộ được hỗ trợ"][1] == 1234
    assert by_label["Khó khăn, vướng mắc"][1] == '=HYPERLINK("http://x")'
    assert [row for row in rows if row[1] == 2][0][2:] == [1, "+1 mới"]
    assert rows[0][0] == "Báo cáo tháng"
    assert rows[1][:2] == ["Tổ chức đảng", "Chi bộ thôn 1"]


def test_text_that_looks_like_a_formula_stays_text(filed):
    campaign, report = filed
    sheet, _rows = rows_of(exporting.submission_xlsx(report))
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x")']
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    note = [cell for row in sheet.iter_rows() for cell in row if cell.value == "+1 mới"][0]
    assert note.data_type == "s" and note.quotePrefix


def test_the_campaign_xlsx_has_a_row_per_target_and_the_total_of_filed_reports(filed):
    campaign, report = filed
    _sheet, rows = rows_of(exporting.campaign_xlsx(campaign))
    header_row = next(number for number, row in enumerate(rows) if row[:2] == ["Tổ chức đảng", "Trạng thái"])
    targets = [row[0] for row in rows[header_row + 1 :]]
    assert targets[:3] == ["Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ giáo viên"]
    header = rows[header_row]
    total = rows[-1]
    assert total[header.index("Hộ được hỗ trợ")] == 1234
    assert total[header.index("Đảng viên") if "Đảng viên" in header else 4] is not None


def docx_text(content: bytes):
    document = Document(io.BytesIO(content))
    header, table, footer = document.tables[0], document.tables[1], document.tables[2]
    return document, header, table, footer


def test_the_report_docx_has_the_official_layout(filed):
    campaign, report = filed
    document, header, table, footer = docx_text(exporting.submission_docx(report))

    assert_party_format(document)

    left, right = header.rows[0].cells
    assert left.paragraphs[0].text == "ĐẢNG BỘ XÃ A"
    assert left.paragraphs[1].text == "CHI BỘ THÔN 1" and left.paragraphs[1].runs[0].bold
    assert left.paragraphs[2].text == "*"
    assert left.paragraphs[3].text == "Số: 05-BC/CB"
    heading = right.paragraphs[0].runs[0]
    assert heading.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and heading.underline and heading.bold
    day = exporting.document_day(report)
    assert right.paragraphs[1].text == f"Hà Nội, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    paragraphs = [p.text for p in document.paragraphs]
    assert "BÁO CÁO KẾT QUẢ TRIỂN KHAI SỔ TAY ĐẢNG VIÊN" in paragraphs
    assert "Thực hiện Kế hoạch số 12-KH/ĐU..." in paragraphs
    values = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    assert values["Hộ được hỗ trợ"] == "1.234"
    assert values["Khó khăn, vướng mắc"] == '=HYPERLINK("http://x")'
    recipients, signer = footer.rows[0].cells
    assert [p.text for p in recipients.paragraphs] == [
        "Nơi nhận:",
        "- Ban Thường vụ Thành ủy (để b/c)",
        "- Lưu VP",
    ]
    # The cell signs its own report, whatever the template (written by the province) says.
    assert [p.text for p in signer.paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ", "Nguyễn Văn An"]


def test_the_campaign_docx_holds_the_aggregated_table(filed):
    campaign, report = filed
    document, header, table, footer = docx_text(exporting.campaign_docx(campaign))
    assert_party_format(document, landscape=len(campaign.template.fields) > 3)
    assert header.rows[0].cells[0].paragraphs[1].text == "ĐẢNG BỘ XÃ A"
    first = [cell.text for cell in table.rows[1].cells]
    assert first[1] == "Chi bộ thôn 1"
    total = [cell.text for cell in table.rows[-1].cells]
    assert "1.234" in total


def test_a_compiled_report_signs_as_the_ward_not_as_its_cells(filed):
    campaign, _report = filed
    _document, _header, _table, footer = docx_text(exporting.campaign_docx(campaign))
    signer = footer.rows[0].cells[1]
    assert [p.text for p in signer.paragraphs if p.text] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def test_the_print_view_shows_the_official_layout(officer_a, filed):
    campaign, report = filed
    response = officer_a.get(f"/reports/submissions/{report.pk}/print/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Nơi nhận:" in text and "Số: 05-BC/CB" in text
