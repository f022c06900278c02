"""DOCX documents in the party's format (thể thức văn bản của Đảng).

The format is that of Hướng dẫn số 36-HD/VPTW, ngày 03/4/2018, của Văn phòng Trung ương Đảng, "Hướng dẫn thể
thức và kỹ thuật trình bày văn bản của Đảng" (which replaced Hướng dẫn 11-HD/VPTW of 2004):
- paper A4 (210 x 297 mm); margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (we take the
  narrowest of each range, so that tables get the most room);
- Vietnamese characters of TCVN 6909:2001 (Unicode): Times New Roman;
- top right, first line, the heading "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, 15 pt) with a rule below it, then
  "<place>, ngày .. tháng .. năm ...." (italic, 14 pt);
- top left the issuing body: the body above (14 pt, upper case), the issuing body (bold, 14 pt, upper case),
  an asterisk below it, then "Số <number>-<kind>/<body>" (14 pt);
- the kind of document and its summary, centred (bold, 15–16 pt), then the body text (13–15 pt; we use 14);
- bottom right the signer: the authority "T/M <the signing body>" (bold, 14 pt), the position (bold, 14 pt),
  room for the signature and the seal, the signer's name (bold, 14 pt);
- bottom left "Nơi nhận:" (14 pt, underlined) and the recipients, one per line (12 pt).
The sizes are those of the guidance's Phụ lục 3 table ("mẫu chữ và chi tiết trình bày"), checked block by block by
common/tests/test_documents.py. (State bodies' documents follow Nghị định 30/2020/NĐ-CP instead, with "Nơi nhận"
in 12 pt bold italic and the recipients in 11 pt: not the party's format.)
The fixed words of the layout are Vietnamese by rule, whatever the interface language.

Nothing here knows the party tree: the caller names the bodies and the signing authority (see
`orgunits.choices.signing_authority`).
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
BODY_SIZE = Pt(14)
HEADING_SIZE = Pt(15)
TITLE_SIZE = Pt(15)
TABLE_SIZE = Pt(12)
RECIPIENT_SIZE = Pt(12)
NATIONAL_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
# A state body's document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the national name (12–13 pt, bold, upper case) and
# the motto under it (13–14 pt, bold, a rule below), where a party document has the party's heading.
STATE_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
STATE_HEADING_SIZE = Pt(13)
DEFAULT_POSITION = "BÍ THƯ"


def _use_style_font(style, size) -> None:
    """Times New Roman at `size` for every script Word may pick (Latin, complex, East Asian)."""
    style.font.name = FONT
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def official_document(*, landscape: bool = False):
    """An empty document on A4 with the format's margins, its default text Times New Roman 14 pt."""
    document = Document()
    section = document.sections[0]
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    normal = document.styles["Normal"]
    _use_style_font(normal, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(0)
    return document


def _run(paragraph, text: str, *, size=BODY_SIZE, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = size
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    return run


def _centred(cell_or_document, *, first: bool = False):
    paragraph = cell_or_document.paragraphs[0] if first else cell_or_document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def vietnamese_date_line(place: str, day: datetime.date) -> str:
    text = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{place}, {text}" if place else text.capitalize()


def add_header(
    document, *, upper_body: str, body: str, number_symbol: str, place: str, day, state: bool = False
) -> None:
    """The header block: the issuing body and number on the left, the party heading (or for a state body, the
    national name and motto) and the date on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    line = _centred(left, first=True)
    if upper_body:
        _run(line, upper_body.upper())
        line = _centred(left)
    _run(line, body.upper(), bold=True)
    if not state:
        _run(_centred(left), "*")
    _run(_centred(left), f"Số: {number_symbol}" if number_symbol else "Số: ")
    if state:
        _run(_centred(right, first=True), STATE_HEADING, size=STATE_HEADING_SIZE, bold=True)
        _run(_centred(right), STATE_MOTTO, bold=True, underline=True)
    else:
        _run(_centred(right, first=True), NATIONAL_HEADING, size=HEADING_SIZE, bold=True, underline=True)
    _run(_centred(right), vietnamese_date_line(place, day), italic=True)


def add_title(document, title: str, lines: list[str]) -> None:
    """The kind of document with its summary (upper case, bold), then centred lines under it."""
    document.add_paragraph()
    _run(_centred(document), title.upper(), size=TITLE_SIZE, bold=True)
    for text in lines:
        _run(_centred(document), text, italic=True)
    document.add_paragraph()


def add_paragraph(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    _run(paragraph, text)


def add_table(document, headings: list[str], rows: list[list[str]]):
    """A ruled table, headings in bold, text 12 pt (tables may be smaller than the body text)."""
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, heading, size=TABLE_SIZE, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _run(cell.paragraphs[0], text, size=TABLE_SIZE)
    return table


def signer_position(title: str) -> str:
    """The signer's position line: a template's own title, unless it is an authority line ("T/M ...")."""
    title = (title or "").strip()
    if not title or title.upper().startswith(("T/M", "TM.", "TM ")):
        return DEFAULT_POSITION
    return title.upper()


def add_footer(document, *, recipients: str, authority: str, position: str, signer_name: str) -> None:
    """The recipients on the left ("Nơi nhận:"), the signer's block on the right, for the unit that signs."""
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _run(left.paragraphs[0], "Nơi nhận:", underline=True)
    for line in [line.strip() for line in (recipients or "").splitlines() if line.strip()]:
        _run(left.add_paragraph(), f"- {line}", size=RECIPIENT_SIZE)
    _run(_centred(right, first=True), authority.upper(), bold=True)
    _run(_centred(right), position.upper(), bold=True)
    for _blank in range(3):  # room for the signature and the seal
        right.add_paragraph()
    _run(_centred(right), signer_name or "", bold=True)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
