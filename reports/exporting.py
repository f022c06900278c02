"""Exports: XLSX of one report and of a campaign's table, DOCX in the official layout, read back in the tests.

The DOCX follows the layout of party documents (Hướng dẫn 36-HD/VPTW): top left the issuing body (the body
above, then the reporting body in bold) and "Số: <number and symbol>"; top right "ĐẢNG CỘNG SẢN VIỆT NAM",
underlined, then "<place>, ngày dd tháng mm năm yyyy" in italics; the title; the table; "Nơi nhận:" and the
recipients at the bottom left, the signer's title and name at the bottom right. Those fixed words of the
layout are Vietnamese by rule; everything else is written in Vietnamese through the translation catalogue.

XLSX: text cells are always strings, never formulas; text starting with = + - @ (or a tab / CR) also gets
Excel's quote prefix, so it stays text when edited (members.exporting has the same rule).
"""

import datetime
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.xlsx import put_value

from . import fields as report_fields
from . import selectors
from .models import Campaign, Submission

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NATIONAL_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"


def vietnamese_date_line(place: str, day: datetime.date) -> str:
    text = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"{place}, {text}" if place else text.capitalize()


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
        _append(sheet, [campaign.title], bold=True)
        _append(sheet, [_("Unit"), str(submission.target)])
        _append(sheet, [_("Period"), f"{campaign.period_start:%d/%m/%Y} – {campaign.period_end:%d/%m/%Y}"])
        _append(sheet, [_("Figures as of"), f"{campaign.cutoff_on:%d/%m/%Y}"])
        _append(sheet, [_("State"), str(submission.get_state_display())])
        _append(sheet, [])
        _append(sheet, [_("Field"), _("Value"), _("Computed"), _("Note")], bold=True)
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
        _append(sheet, [campaign.title], bold=True)
        _append(
            sheet,
            [_("Figures as of"), f"{campaign.cutoff_on:%d/%m/%Y}", _("Deadline"), f"{campaign.deadline:%d/%m/%Y}"],
        )
        labels = [report_fields.field_label(field) for field in fields]
        _append(sheet, [_("Unit"), _("State"), _("Submitted at"), _("Late"), *labels], bold=True)
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


def _document_header(document, *, upper_body: str, body: str, number_symbol: str, place: str, day):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if upper_body:
        first.add_run(upper_body.upper())
        line = left.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        line = first
    line.add_run(body.upper()).bold = True
    number = left.add_paragraph(f"Số: {number_symbol}" if number_symbol else "Số: ")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = right.paragraphs[0]
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(NATIONAL_HEADING)
    run.bold = True
    run.underline = True
    date_line = right.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_line.add_run(vietnamese_date_line(place, day)).italic = True


def _document_footer(document, *, recipients: str, signer_title: str, signer_name: str):
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    label = left.paragraphs[0].add_run("Nơi nhận:")
    label.bold = True
    label.italic = True
    for line in [line.strip() for line in (recipients or "").splitlines() if line.strip()]:
        left.add_paragraph(f"- {line}")
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = right.paragraphs[0]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run((signer_title or "").upper()).bold = True
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.add_run(signer_name or "").bold = True


def _title(document, title: str, lines: list[str]):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(title.upper()).bold = True
    for text in lines:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_day(submission: Submission) -> datetime.date:
    return timezone.localdate(submission.submitted_at) if submission.submitted_at else timezone.localdate()


def submission_docx(submission: Submission) -> bytes:
    from docx import Document

    campaign, template = submission.campaign, submission.campaign.template
    target = submission.target
    with translation.override("vi"):
        document = Document()
        _document_header(
            document,
            upper_body=parent_name(target),
            body=target.name,
            number_symbol=submission.number_symbol,
            place=submission.place or template.place,
            day=document_day(submission),
        )
        _title(document, template.title, _period_lines(campaign))
        if template.body:
            document.add_paragraph(template.body)
        cells = report_fields.cells(template.fields, submission.values)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, heading in zip(table.rows[0].cells, ["STT", _("Field"), _("Value"), _("Note")], strict=True):
            cell.text = heading
        for number, item in enumerate(cells, start=1):
            row = table.add_row().cells
            row[0].text = str(number)
            row[1].text = item.label
            row[2].text = _format(item.value)
            row[3].text = _note(item)
        _document_footer(
            document,
            recipients=template.recipients,
            signer_title=template.signer_title,
            signer_name=submission.signer_name,
        )
    return _docx_bytes(document)


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
    """The aggregated table of a campaign in the official layout: one row per unit, then the total."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    fields, submissions, total = campaign_table(campaign)
    template = campaign.template
    with translation.override("vi"):
        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        _document_header(
            document,
            upper_body=parent_name(campaign.unit),
            body=campaign.unit.name,
            number_symbol="",
            place=template.place,
            day=timezone.localdate(),
        )
        _title(document, campaign.title, _period_lines(campaign))
        labels = [report_fields.field_label(field) for field in fields]
        table = document.add_table(rows=1, cols=3 + len(labels))
        table.style = "Table Grid"
        for cell, heading in zip(table.rows[0].cells, ["STT", _("Unit"), _("State"), *labels], strict=True):
            cell.text = heading
        for number, submission in enumerate(submissions, start=1):
            row = table.add_row().cells
            values = report_fields.cells(fields, submission.values)
            state = str(submission.get_state_display()) + (f" ({_('late')})" if submission.is_late else "")
            for cell, text in zip(
                row, [str(number), str(submission.target), state, *[_format(v.value) for v in values]], strict=True
            ):
                cell.text = text
        row = table.add_row().cells
        totals = [_format(cell.value) if (cell.is_summed or cell.is_ratio) else "" for cell in total]
        for cell, text in zip(row, ["", _("Total (reports filed)"), "", *totals], strict=True):
            cell.text = text
        _document_footer(document, recipients=template.recipients, signer_title=template.signer_title, signer_name="")
    return _docx_bytes(document)
