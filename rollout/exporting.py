"""The rollout figures of a unit as an official report: XLSX (the shared frame) and DOCX (the party's format).

The DOCX is the unit's own report (Hướng dẫn 36-HD/VPTW, see common.documents): issued and signed by the unit
whose figures it gives ("T/M ĐẢNG ỦY" for a ward, "T/M CHI BỘ" for a cell), addressed to the body above.
"""

import datetime
import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from common import documents
from common.xlsx import append_plain, title_block
from orgunits.choices import signing_authority
from orgunits.models import Unit

from .display import table_headings, table_row
from .selectors import Figures, PlanProgress, TrainingTotals


def _shown(value) -> str:
    """A number as a Vietnamese document writes it: 12.729 and 92,3."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _title() -> str:
    return _("Report on the rollout of the electronic party member handbook")


def _as_of_line(day: datetime.date) -> str:
    return _("Figures as of %(day)s") % {"day": f"{day:%d/%m/%Y}"}


def figures_xlsx(*, unit: Unit, figures: Figures, children: list[Figures], day: datetime.date) -> bytes:
    """The unit's row and one row per child unit, under the title block, ready to print on A4."""
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Rollout")[:31]
        title_block(sheet, title=_title(), unit=unit.name, day=day, headings=table_headings())
        append_plain(sheet, table_row(figures))
        for child in children:
            append_plain(sheet, table_row(child))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def figures_docx(
    *,
    unit: Unit,
    figures: Figures,
    children: list[Figures],
    day: datetime.date,
    plan: PlanProgress | None = None,
    training: TrainingTotals | None = None,
) -> bytes:
    """The figures as the unit's report to the body above, in the party's document format, with the progress
    against the plan in force and the trainings held when there are any."""
    parent = Unit.objects.get_parent(unit)
    with translation.override("vi"):
        document = documents.official_document(landscape=True)
        documents.add_header(
            document, upper_body=parent.name if parent else "", body=unit.name, number_symbol="", place="", day=day
        )
        documents.add_title(document, _title(), [_as_of_line(day)])
        documents.add_paragraph(
            document,
            _(
                "%(unit)s has %(members)s party members, %(eligible)s of them eligible for an account; "
                "%(activated)s accounts are activated (%(of_members)s%% of all members, %(of_eligible)s%% of the "
                "eligible ones)."
            )
            % {
                "unit": unit.name,
                "members": _shown(figures.members),
                "eligible": _shown(figures.eligible),
                "activated": _shown(figures.activated),
                "of_members": _shown(_float(figures.percent_of_members)),
                "of_eligible": _shown(_float(figures.percent_of_eligible)),
            },
        )
        if plan is not None:
            documents.add_paragraph(document, _plan_sentence(plan))
        if training is not None and training.sessions:
            documents.add_paragraph(
                document,
                ngettext(
                    "%(sessions)s training was held for those who install and operate the app; %(trained)s people "
                    "were trained.",
                    "%(sessions)s trainings were held for those who install and operate the app; %(trained)s "
                    "people were trained.",
                    training.sessions,
                )
                % {"sessions": _shown(training.sessions), "trained": _shown(training.trained)},
            )
        rows = [
            [_shown(value) if not isinstance(value, str) else value for value in table_row(row)]
            for row in [figures, *children]
        ]
        documents.add_table(document, table_headings(), rows)
        recipients = [f"{parent.name} (để b/c)"] if parent else []
        documents.add_footer(
            document,
            recipients="\n".join([*recipients, "Lưu VP"]),
            authority=signing_authority(unit.kind),
            position=documents.DEFAULT_POSITION,
            signer_name="",
        )
    return documents.docx_bytes(document)


def _plan_sentence(progress: PlanProgress) -> str:
    plan = progress.plan
    return _(
        "Against plan %(number)s of %(issued)s (%(target)s%% of eligible members activated by %(deadline)s): "
        "%(current)s%% now, %(expected)s%% expected by this day at a steady pace; %(status)s."
    ) % {
        "number": plan.number,
        "issued": f"{plan.issued_on:%d/%m/%Y}",
        "target": plan.target_percent,
        "deadline": f"{plan.deadline:%d/%m/%Y}",
        "current": _shown(float(progress.current)),
        "expected": _shown(float(progress.expected)),
        "status": str(progress.status_label).lower(),
    }


def _float(value):
    return float(value) if value is not None else None
