"""Who has studied, as a workbook: the figures per unit, then every current member of the unit with their state."""

import datetime
import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.xlsx import append_plain, title_block

from .choices import StudyState
from .models import StudyAssignment
from .selectors import StudyFigures, member_state

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A workbook held in memory: a province's hundred thousand members are exported commune by commune.
MAX_MEMBER_ROWS = 10_000


def _percent(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 1)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def figures_xlsx(
    *,
    assignment: StudyAssignment,
    total: StudyFigures,
    children: list[StudyFigures],
    members,
    has_quiz: bool,
    day: datetime.date,
) -> bytes:
    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Units")
        headings = [_("Unit"), _("Members"), _("Opened"), _("Studied"), _("Studied (%)")]
        if has_quiz:
            headings += [_("Passed the quiz"), _("Passed (%)")]
        title_block(sheet, title=assignment.title, unit=total.unit.name, day=day, headings=headings)
        for figures in [*children, total]:
            row = [
                figures.unit.name if figures is not total else _("Total"),
                figures.members,
                figures.started,
                figures.studied,
                _percent(figures.studied_percent),
            ]
            if has_quiz:
                row += [figures.passed, _percent(figures.passed_percent)]
            append_plain(sheet, row)
        people = book.create_sheet(_("Members"))
        headings = [_("No."), _("Full name"), _("Cell"), _("State"), _("Studied on")]
        if has_quiz:
            headings += [_("Attempts"), _("Best score (%)")]
        title_block(people, title=assignment.title, unit=total.unit.name, day=day, headings=headings)
        if len(members) > MAX_MEMBER_ROWS:
            append_plain(
                people,
                [
                    _("More than %(count)s members: export each unit below.")
                    % {"count": formats.number_format(MAX_MEMBER_ROWS, force_grouping=True)}
                ],
            )
            members = []
        for number, member in enumerate(members, start=1):
            row = [
                number,
                member.full_name,
                member.unit.name,
                str(StudyState(member_state(member)).label),
                _when(member.p_studied_at),
            ]
            if has_quiz:
                row += [member.p_attempts or 0, "" if member.p_best_score is None else member.p_best_score]
            append_plain(people, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
