"""A document in the party's format (Hướng dẫn 36-HD/VPTW), read back: A4, its margins, Times New Roman."""

import datetime
import io

from docx import Document
from docx.shared import Mm, Pt

from common import documents


def format_of(content: bytes):
    return Document(io.BytesIO(content))


def every_run(document):
    yield from (run for paragraph in document.paragraphs for run in paragraph.runs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from (run for paragraph in cell.paragraphs for run in paragraph.runs)


def assert_party_format(document, *, landscape: bool = False) -> None:
    """A4 with the guidance's margins; every run in Times New Roman, between 12 and 16 pt."""
    section = document.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(1) and abs(section.page_height - height) < Mm(1)
    # Word stores lengths in twentieths of a point: compare to a tenth of a millimetre.
    assert 20 <= round(section.top_margin.mm, 1) <= 25 and 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35 and 15 <= round(section.right_margin.mm, 1) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    runs = list(every_run(document))
    assert runs
    for run in runs:
        assert run.font.name in (None, "Times New Roman")
        assert Pt(12) <= (run.font.size or normal.font.size) <= Pt(16)


def test_a_document_has_the_header_the_table_and_the_signer_block_in_the_party_format():
    document = documents.official_document()
    documents.add_header(
        document,
        upper_body="Đảng bộ Thành phố Hà Nội",
        body="Đảng bộ xã A",
        number_symbol="12-BC/ĐU",
        place="Hà Nội",
        day=datetime.date(2026, 12, 2),
    )
    documents.add_title(document, "Báo cáo kết quả", ["Số liệu đến ngày 01/12/2026"])
    documents.add_table(document, ["STT", "Tổ chức đảng"], [["1", "Chi bộ thôn 1"]])
    documents.add_footer(
        document,
        recipients="Ban Thường vụ Thành ủy\nLưu VP",
        authority="T/M ĐẢNG ỦY",
        position="Bí thư",
        signer_name="Nguyễn Văn An",
    )

    read = format_of(documents.docx_bytes(document))

    assert_party_format(read)
    left, right = read.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "ĐẢNG BỘ XÃ A", "*", "Số: 12-BC/ĐU"]
    heading = right.paragraphs[0].runs[0]
    assert heading.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and heading.bold and heading.underline
    assert right.paragraphs[1].text == "Hà Nội, ngày 02 tháng 12 năm 2026" and right.paragraphs[1].runs[0].italic
    recipients, signer = read.tables[2].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- Ban Thường vụ Thành ủy", "- Lưu VP"]
    assert [p.text for p in signer.paragraphs if p.text] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn An"]


def test_a_landscape_document_is_a4_turned():
    read = format_of(documents.docx_bytes(documents.official_document(landscape=True)))
    section = read.sections[0]
    assert abs(section.page_width - Mm(297)) < Mm(1) and abs(section.page_height - Mm(210)) < Mm(1)


def test_the_position_line_never_repeats_an_authority_line():
    assert documents.signer_position("T/M Ban Thường vụ") == "BÍ THƯ"
    assert documents.signer_position("") == "BÍ THƯ"
    assert documents.signer_position("Phó Bí thư") == "PHÓ BÍ THƯ"


# Hướng dẫn 36-HD/VPTW, Phụ lục 3 ("Mẫu chữ và chi tiết trình bày thể thức văn bản"): each block's size in points,
# upright or italic, bold or not, as the table gives them (rows 1–6; 7 and 9, the signer and the recipients, as
# common/documents.py states them).
BLOCKS = [
    # (the text as written, sizes allowed, bold, italic)
    ("ĐẢNG CỘNG SẢN VIỆT NAM", (15,), True, False),  # 1. tiêu đề: in hoa, 15, đứng, đậm
    ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", (14,), False, False),  # 2. cơ quan cấp trên trực tiếp: in hoa, 14, đứng
    ("ĐẢNG BỘ XÃ A", (14,), True, False),  # 2. cơ quan ban hành: in hoa, 14, đứng, đậm
    ("Số: 12-BC/ĐU", (14,), False, False),  # 3. số và ký hiệu: in thường, 14, đứng
    ("Hà Nội, ngày 02 tháng 12 năm 2026", (14,), False, True),  # 4. địa danh, ngày tháng năm: 14, nghiêng
    ("BÁO CÁO KẾT QUẢ", (15, 16), True, False),  # 5. tên loại văn bản: in hoa, 15–16, đứng, đậm
    ("Số liệu toàn xã đến hết tháng 11.", (14, 15), False, False),  # 6. nội dung: in thường, 14–15, đứng
    ("T/M ĐẢNG ỦY", (14,), True, False),  # 7. quyền hạn của người ký: in hoa, 14, đậm
    ("BÍ THƯ", (14,), True, False),  # 7. chức vụ: in hoa, 14, đậm
    ("Nguyễn Văn An", (14,), True, False),  # 7. họ tên người ký: in thường, 14, đậm
    ("Nơi nhận:", (14,), False, False),  # 9. "Nơi nhận": in thường, 14, đứng, gạch chân
    ("- Ban Thường vụ Thành ủy", (12,), False, False),  # 9. tên nơi nhận: in thường, 12, đứng
]


def test_each_block_has_the_size_and_style_of_the_guidances_table():
    document = documents.official_document()
    documents.add_header(
        document,
        upper_body="Đảng bộ Thành phố Hà Nội",
        body="Đảng bộ xã A",
        number_symbol="12-BC/ĐU",
        place="Hà Nội",
        day=datetime.date(2026, 12, 2),
    )
    documents.add_title(document, "Báo cáo kết quả", [])
    documents.add_paragraph(document, "Số liệu toàn xã đến hết tháng 11.")
    documents.add_footer(
        document,
        recipients="Ban Thường vụ Thành ủy",
        authority="T/M Đảng ủy",
        position="Bí thư",
        signer_name="Nguyễn Văn An",
    )

    read = format_of(documents.docx_bytes(document))
    default_size = read.styles["Normal"].font.size
    runs = {run.text: run for run in every_run(read)}

    section = read.sections[0]
    page_and_margins = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    page_and_margins += (section.left_margin, section.right_margin)
    # A4; margins top and bottom 20–25 mm, left 30–35, right 15–20 (the narrowest of each), to a tenth of a mm.
    assert [round(length.mm, 1) for length in page_and_margins] == [210, 297, 20, 20, 30, 15]
    for text, sizes, bold, italic in BLOCKS:
        run = runs[text]
        assert (run.font.size or default_size).pt in sizes, text
        assert (bool(run.bold), bool(run.italic)) == (bold, italic), text
        assert run.font.name in (None, "Times New Roman"), text
    assert runs["Nơi nhận:"].underline
