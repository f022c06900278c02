"""A sample roster to download from the import page: every recognised column, headed as the importer reads it."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font

from ..fields import IMPORTABLE_FIELDS
from .headers import RESIDENCE_AREA_CODE, UNIT_CODE, field_label

# The columns most rosters have come first; then every other field the importer recognises.
FIRST_COLUMNS = [
    UNIT_CODE,
    "full_name",
    "sex",
    "date_of_birth",
    "citizen_id",
    "card_number",
    "joined_on",
    "official_on",
    "phone",
    "hometown",
    "current_residence",
]
COLUMNS = [
    *FIRST_COLUMNS,
    *(field for field in IMPORTABLE_FIELDS if field not in FIRST_COLUMNS),
    RESIDENCE_AREA_CODE,
]
# One invented member, so that the expected forms of dates, sex and identifiers are visible.
EXAMPLE = {
    UNIT_CODE: "MÃ-CHI-BỘ",
    "full_name": "Nguyễn Văn Mẫu",
    "sex": "Nam",
    "date_of_birth": "15/03/1980",
    "citizen_id": "001080000001",
    "card_number": "12345678",
    "joined_on": "19/05/2005",
    "official_on": "19/05/2006",
    "phone": "0912345678",
    "hometown": "Xã Quỳnh Hồng, tỉnh Hưng Yên",
    "current_residence": "Thôn 1",
}


def sample_headers() -> list[str]:
    """The header row, in Vietnamese (the importer recognises these in any language the page is shown in)."""
    with translation.override("vi"):
        return [field_label(field)[:1].upper() + field_label(field)[1:] for field in COLUMNS]


def sample_roster() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đảng viên"
    sheet.append(sample_headers())
    sheet.append([EXAMPLE.get(field, "") for field in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(str(column[0].value)) + 2)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
