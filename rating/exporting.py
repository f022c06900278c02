"""The campaign's results in the official layout: the list of members with their grades, one table per campaign, as
XLSX (to work on) and as the committee's DOCX report in the party's document format (common/documents.py)."""

import datetime
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common import documents
from common.xlsx import append_plain, title_block
from orgunits.choices import signing_authority
from orgunits.models import Unit

from .choices import Grade
from .models import MemberRating, RatingCampaign
from .selectors import GradeCounts

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _title(campaign: RatingCampaign) -> str:
    return _("Results of the party members' quality rating, year %(year)s") % {"year": campaign.year}


def _headings() -> list[str]:
    return [
        _("No."),
        _("Full name"),
        _("Cell"),
        _("Points (of 100)"),
        _("Grade proposed by the member"),
        _("Grade proposed by the cell"),
        _("Grade decided"),
        _("Note"),
    ]


def _label(grade: str) -> str:
    return str(Grade(grade).label) if grade else ""


def _row(number: int, rating: MemberRating) -> list[str]:
    return [
        str(number),
        rating.member.full_name,
        rating.unit.name,
        "" if rating.points is None else str(rating.points),
        _label(rating.self_grade),
        _label(rating.cell_grade),
        _label(rating.grade),
        rating.excluded_reason or rating.decision_note,
    ]


def _summary_lines(total: GradeCounts) -> list[tuple[str, str]]:
    return [(str(label), str(count)) for label, count in total.grades] + [(_("Not rated"), str(total.excluded))]


def results_xlsx(*, campaign: RatingCampaign, unit: Unit, rows, total: GradeCounts, day: datetime.date) -> bytes:
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(campaign.year)
        title_block(
            sheet, title=_title(campaign), unit=unit.name, day=day, headings=_headings(), lines=_summary_lines(total)
        )
        for number, rating in enumerate(rows, start=1):
            append_plain(sheet, _row(number, rating))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_docx(*, campaign: RatingCampaign, unit: Unit, rows, total: GradeCounts, day: datetime.date) -> bytes:
    parent = Unit.objects.get_parent(unit)
    with translation.override("vi"):
        document = documents.official_document(landscape=True)
        documents.add_header(
            document, upper_body=parent.name if parent else "", body=unit.name, number_symbol="", place="", day=day
        )
        documents.add_title(document, _title(campaign), [])
        documents.add_paragraph(
            document,
            "; ".join(f"{label}: {count}" for label, count in _summary_lines(total)) + ".",
        )
        documents.add_table(document, _headings(), [_row(number, rating) for number, rating in enumerate(rows, 1)])
        documents.add_footer(
            document,
            recipients="\n".join([*([f"{parent.name} (để b/c)"] if parent else []), "Lưu VP"]),
            authority=signing_authority(unit.kind),
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
        return documents.docx_bytes(document)
