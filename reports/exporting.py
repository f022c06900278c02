"""Exports: XLSX of one report and of a campaign's table, DOCX in the party's format, read back in the tests.

The DOCX follows the party's document format (Hướng dẫn 36-HD/VPTW, 2018; see common.documents): A4 with its
margins, Times New Roman, the header block (the issuing body and "Số: ...", "ĐẢNG CỘNG SẢN VIỆT NAM" and the
place and date), the title, the table, "Nơi nhận:" and the signer block of the unit that signs: a cell's
report signs "T/M CHI BỘ", the compiled report of a ward (the campaign's table) signs as the ward
("T/M ĐẢNG ỦY"), whatever signer's title the template carries (that gives the position, e.g. "BÍ THƯ").
Those fixed words of the layout are Vietnamese by rule; everything else is written in Vietnamese through
the translation catalogue.

XLSX: the shared frame of common.xlsx (title block, unit, date, frozen headings, A4 print set-up); text cells
are always strings, never formulas; text starting with = + - @ (or a tab / CR) also gets Excel's quote
prefix, so it stays text when edited (members/exporting/workbooks.py has the same rule).
"""

import datetime
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common import documents
from common.xlsx import put_value, title_block
from orgunits.choices import SIGNING_AUTHORITY, STATE_SIGNING_AUTHORITY
from orgunits.models import Organisation, Unit

from . import fields as report_fields
from . import selectors
from .models import Campaign, Submission

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NATIONAL_HEADING = documents.NATIONAL_HEADING
vietnamese_date_line = documents.vietnamese_date_line


def signer_lines(issuer, signer_title: str) -> tuple[str, str]:
    """(authority, position) of the signer block for a document issued by `issuer` (a unit or an area).

    A party unit signs for itself ("T/M CHI BỘ", "T/M ĐẢNG ỦY"...); the template's signer's title gives only
    the position. An area (a village) is no party body: its line is the template's own title.
    """
    authority = SIGNING_AUTHORITY.get(issuer.kind, "") if isinstance(issuer, Unit) else ""
    if authority:
        return authority, documents.signer_position(signer_title)
    if isinstance(issuer, Organisation) and issuer.kind in STATE_SIGNING_AUTHORITY:
        return STATE_SIGNING_AUTHORITY[issuer.kind]
    return (signer_title or "").upper(), ""


def is_state_document(campaign: Campaign, body) -> bool:
    """Whether `body`'s document for this campaign takes the state's format: an organisation's, or any report
    in a People's Committee's campaign (a village files to the committee as a state matter)."""
    return isinstance(body, Organisation) or (campaign.organisation_id is not None and not isinstance(body, Unit))


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def parent_name(target) -> str:
    """The body above the reporting one (first line of the document's header), or ""."""
    if isinstance(target, Organisation):
        return target.parent.name if target.parent_id else ""
    parent = type(target).objects.get_parent(target)
    return parent.name if parent is not None else ""


# XLSX


def _put(sheet, row: int, column: int, value, *, bold: bool = False):
    cell = sheet.cell(row=row, column=column)
    put_value(cell, value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _append(sheet, values: list, *, bold: bool = False) -> None:
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        _put(sheet, row, column, value, bold=bold)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def submission_xlsx(submission: Submission) -> bytes:
    campaign = submission.campaign
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Report")[:31]
        title_block(
            sheet,
            title=campaign.title,
            unit=str(submission.target),
            day=document_day(submission),
            lines=[
                (_("Period"), f"{campaign.period_start:%d/%m/%Y} – {campaign.period_end:%d/%m/%Y}"),
                (_("Figures as of"), f"{campaign.cutoff_on:%d/%m/%Y}"),
                (_("State"), str(submission.get_state_display())),
            ],
            headings=[_("Field"), _("Value"), _("Computed"), _("Note")],
        )
        for cell in report_fields.cells(campaign.template.fields, submission.values):
            _append(sheet, [cell.label, cell.value, cell.computed, cell.note])
    return _save(workbook)


def campaign_table(campaign: Campaign):
    """(headings, rows, total row) of a campaign's table; totals sum the filed reports only."""
    fields = campaign.template.fields
    submissions = selectors.campaign_rows(campaign)
    filed = [submission.values for submission in submissions if submission.is_filed]
    total = report_fields.cells(fields, report_fields.total_values(fields, filed))
    return fields, submissions, total


def campaign_xlsx(campaign: Campaign) -> bytes:
    fields, submissions, total = campaign_table(campaign)
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Reports")[:31]
        labels = [report_fields.field_label(field) for field in fields]
        title_block(
            sheet,
            title=campaign.title,
            unit=str(campaign.issuer),
            day=timezone.localdate(),
            lines=[
                (_("Figures as of"), f"{campaign.cutoff_on:%d/%m/%Y}"),
                (_("Deadline"), f"{campaign.deadline:%d/%m/%Y}"),
            ],
            headings=[selectors.target_heading(campaign), _("State"), _("Submitted at"), _("Late"), *labels],
        )
        for submission in submissions:
            submitted = (
                timezone.localtime(submission.submitted_at).strftime("%d/%m/%Y %H:%M")
                if submission.submitted_at
                else ""
            )
            values = [cell.value for cell in report_fields.cells(fields, submission.values)]
            _append(
                sheet,
                [
                    str(submission.target),
                    str(submission.get_state_display()),
                    submitted,
                    _("Yes") if submission.is_late else "",
                    *values,
                ],
            )
        _append(
            sheet,
            [
                _("Total (reports filed)"),
                "",
                "",
                "",
                *[cell.value if (cell.is_summed or cell.is_ratio) else None for cell in total],
            ],
            bold=True,
        )
    return _save(workbook)


# DOCX


def document_day(submission: Submission) -> datetime.date:
    return timezone.localdate(submission.submitted_at) if submission.submitted_at else timezone.localdate()


def submission_docx(submission: Submission) -> bytes:
    campaign, template = submission.campaign, submission.campaign.template
    target = submission.target
    with translation.override("vi"):
        document = documents.official_document()
        documents.add_header(
            document,
            upper_body=parent_name(target),
            body=target.name,
            number_symbol=submission.number_symbol,
            place=submission.place or template.place,
            day=document_day(submission),
            state=is_state_document(campaign, target),
        )
        documents.add_title(document, template.title, _period_lines(campaign))
        if template.body:
            documents.add_paragraph(document, template.body)
        cells = report_fields.cells(template.fields, submission.values)
        documents.add_table(
            document,
            ["STT", _("Field"), _("Value"), _("Note")],
            [[str(number), item.label, _format(item.value), _note(item)] for number, item in enumerate(cells, start=1)],
        )
        authority, position = signer_lines(target, template.signer_title)
        documents.add_footer(
            document,
            recipients=template.recipients,
            authority=authority,
            position=position,
            signer_name=submission.signer_name,
        )
    return documents.docx_bytes(document)


def _note(item) -> str:
    if item.is_overridden:
        return _("%(note)s (computed: %(computed)s)") % {"note": item.note, "computed": _format(item.computed)}
    return item.note


def _period_lines(campaign: Campaign) -> list[str]:
    return [
        _("Period: %(start)s to %(end)s")
        % {"start": f"{campaign.period_start:%d/%m/%Y}", "end": f"{campaign.period_end:%d/%m/%Y}"},
        _("Figures as of %(day)s") % {"day": f"{campaign.cutoff_on:%d/%m/%Y}"},
    ]


def campaign_docx(campaign: Campaign) -> bytes:
    """The compiled table of a campaign, issued and signed by the campaign's unit: one row per target, the total."""
    fields, submissions, total = campaign_table(campaign)
    template = campaign.template
    with translation.override("vi"):
        labels = [report_fields.field_label(field) for field in fields]
        document = documents.official_document(landscape=len(labels) > 3)
        documents.add_header(
            document,
            upper_body=parent_name(campaign.issuer),
            body=campaign.issuer.name,
            number_symbol="",
            place=template.place,
            day=timezone.localdate(),
            state=is_state_document(campaign, campaign.issuer),
        )
        documents.add_title(document, campaign.title, _period_lines(campaign))
        rows = []
        for number, submission in enumerate(submissions, start=1):
            values = report_fields.cells(fields, submission.values)
            state = str(submission.get_state_display()) + (f" ({_('late')})" if submission.is_late else "")
            rows.append([str(number), str(submission.target), state, *[_format(v.value) for v in values]])
        totals = [_format(cell.value) if (cell.is_summed or cell.is_ratio) else "" for cell in total]
        rows.append(["", _("Total (reports filed)"), "", *totals])
        documents.add_table(document, ["STT", selectors.target_heading(campaign), _("State"), *labels], rows)
        # The compiled report is the issuer's document: it signs as that unit or body, not as its targets.
        authority, position = signer_lines(campaign.issuer, template.signer_title)
        documents.add_footer(
            document, recipients=template.recipients, authority=authority, position=position, signer_name=""
        )
    return documents.docx_bytes(document)
