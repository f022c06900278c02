"""Scoped XLSX exports of the member registry, streamed row by row, each one written to the change log with the
purpose the person exporting gave (`export_purpose_clean`: no purpose, no file).

Three exports:

- the cell member list in the layout of form 7-HSĐV ("Sổ danh sách đảng viên", Hướng dẫn 12-HD/BTCTW
  2012, kept by Hướng dẫn 09-HD/BTCTW 2017): 14 columns, several facts per column as on the paper book;
- the full registry: one column per field of the record, for reconciliation and re-import;
- a filtered member list: the rows of the member list page for the same search and filters.

Workbooks are openpyxl `write_only` workbooks fed from `.iterator()`, so memory stays flat whatever
the number of rows; a sheet holds at most `MAX_ROWS_PER_SHEET` rows and the rest go on further sheets.

Spreadsheet formulas: every text value is written as a string cell (never a formula, whatever it
starts with) and, when it starts with = + - @ or a tab/CR, also with Excel's "quote prefix" style, so
Excel, LibreOffice and Google Sheets show it as text and keep it text when the cell is edited. The
text itself is kept exactly, so an export read back in gives the same values.
"""

import dataclasses
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import granted_unit_paths
from audit.choices import ChangeAction
from audit.services import change_log
from common.xlsx import put_value, set_up_for_print, without_illegal_characters
from orgunits.models import Unit

from ..choices import ExportKind, IneligibilityReason, LeavingForm, MemberStatus, PoliticalTheory, Sex, Standing
from ..fields import IMPORTABLE_FIELDS
from ..models import Member
from ..selectors import member_list, members_visible_to

# What the person exporting says the file is for (e.g. "the cell's annual review"): a short sentence.
PURPOSE_MAX_LENGTH = 200
# One row fewer than Excel's 1,048,576, for the header.
MAX_ROWS_PER_SHEET = 1_048_000
DATE_FORMAT = "DD/MM/YYYY"
ITERATOR_CHUNK = 2_000


@dataclasses.dataclass
class ExportFile:
    """A finished workbook in an anonymous temporary file (deleted when closed), ready to send."""

    file: object
    filename: str
    rows: int


class _SheetWriter:
    """Appends rows to a write-only workbook, turning values into cells that are never formulas."""

    def __init__(self, *, title: str, header: list[str], preamble: Iterable[list] = ()):
        self.workbook = Workbook(write_only=True)
        self.title = title[:28]
        self.header = header
        self.preamble = list(preamble)
        self.sheet = None
        self.sheet_rows = 0
        self.sheet_count = 0
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def _new_sheet(self) -> None:
        self.sheet_count += 1
        title = self.title if self.sheet_count == 1 else f"{self.title} ({self.sheet_count})"
        self.sheet = self.workbook.create_sheet(title=without_illegal_characters(title).replace("/", "-"))
        self.sheet_rows = 0
        # Headings frozen and repeated on each printed page, A4 landscape fitted to the width (common.xlsx).
        set_up_for_print(self.sheet, header_row=len(self.preamble) + 1, landscape=True)
        for line in self.preamble:
            self.sheet.append([self._cell(value, bold=True) for value in line])
        self.sheet.append([self._cell(label, bold=True) for label in self.header])

    def _cell(self, value, *, bold: bool = False):
        cell = WriteOnlyCell(self.sheet, value=None)
        if isinstance(value, str):
            put_value(cell, value)
            if "\n" in value:
                cell.alignment = self.wrap
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            cell.value = value
        if bold:
            cell.font = self.bold
        return cell

    def append(self, values: list) -> None:
        if self.sheet is None or self.sheet_rows >= MAX_ROWS_PER_SHEET:
            self._new_sheet()
        self.sheet.append([self._cell(value) for value in values])
        self.sheet_rows += 1

    def finish(self):
        if self.sheet is None:
            self._new_sheet()
        # Handed to the response, which closes (and so deletes) it once sent.
        output = tempfile.TemporaryFile()  # noqa: SIM115
        self.workbook.save(output)
        output.seek(0)
        return output


# -- value formatting ---------------------------------------------------------------------------------


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value else ""


def _date_text(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


# -- the three layouts ----------------------------------------------------------------------------------

# Column order of form 7-HSĐV (14 columns). Each column carries the facts the paper form puts in it.
CELL_LIST_HEADER = [
    gettext_lazy("No."),
    gettext_lazy("Full name / birth name"),
    gettext_lazy("Sex and date of birth, ethnicity, religion"),
    gettext_lazy("Hometown"),
    gettext_lazy("General education, political theory, professional qualification, foreign language"),
    gettext_lazy("Occupation before joining, current occupation"),
    gettext_lazy("Date of joining, date made official"),
    gettext_lazy("Party card number, background-file number"),
    gettext_lazy("Army, police, retired"),
    gettext_lazy("Date transferred out, to which organisation"),
    gettext_lazy("Date transferred in, from which organisation"),
    gettext_lazy("Date of death"),
    gettext_lazy("Date of leaving the party, form of leaving"),
    gettext_lazy("Notes"),
]
CELL_LIST_FIELDS = (
    "full_name",
    "birth_name",
    "sex",
    "date_of_birth",
    "ethnicity",
    "religion",
    "hometown",
    "education",
    "political_theory",
    "professional_qualification",
    "foreign_language",
    "occupation_before_joining",
    "occupation",
    "joined_on",
    "official_on",
    "card_number",
    "background_file_number",
    "is_army",
    "is_police",
    "is_retired",
    "transferred_out_on",
    "transferred_out_to",
    "transferred_in_on",
    "transferred_in_from",
    "died_on",
    "left_on",
    "leaving_form",
    "leaving_reason",
    "status",
    "notes",
)


def _cell_list_row(number: int, row: dict) -> list:
    flags = [
        str(label)
        for label, flag in (
            (_("Army"), row["is_army"]),
            (_("Police"), row["is_police"]),
            (_("Retired"), row["is_retired"]),
        )
        if flag
    ]
    leaving = ""
    if row["left_on"]:
        leaving = _lines(_date_text(row["left_on"]), _label(LeavingForm, row["leaving_form"]), row["leaving_reason"])
    notes = row["notes"]
    if row["status"] not in (MemberStatus.ACTIVE, MemberStatus.LEFT, MemberStatus.DECEASED):
        notes = _lines(_label(MemberStatus, row["status"]), notes)
    return [
        number,
        _lines(row["full_name"], row["birth_name"] if row["birth_name"] != row["full_name"] else ""),
        _lines(
            f"{_label(Sex, row['sex'])}: {_date_text(row['date_of_birth'])}",
            row["ethnicity"],
            row["religion"],
        ),
        row["hometown"],
        _lines(
            row["education"],
            _label(PoliticalTheory, row["political_theory"]),
            row["professional_qualification"],
            row["foreign_language"],
        ),
        _lines(row["occupation_before_joining"], row["occupation"]),
        _lines(_date_text(row["joined_on"]), _date_text(row["official_on"])),
        _lines(row["card_number"] or "", row["background_file_number"]),
        ", ".join(flags),
        _lines(_date_text(row["transferred_out_on"]), row["transferred_out_to"]),
        _lines(_date_text(row["transferred_in_on"]), row["transferred_in_from"]),
        _date_text(row["died_on"]),
        leaving,
        notes,
    ]


# The full registry: every field a roster file may fill (members/fields.py), plus the codes that place the member in
# the two trees, so that the export reads back in.
REGISTRY_FIELDS = [Member._meta.get_field(name) for name in IMPORTABLE_FIELDS]
_CHOICE_LABELS = {
    "sex": Sex,
    "political_theory": PoliticalTheory,
    "standing": Standing,
    "status": MemberStatus,
    "leaving_form": LeavingForm,
    "ineligibility_reason": IneligibilityReason,
}


def _registry_header() -> list[str]:
    return [
        _("Record ID"),
        _("Cell code"),
        _("Cell"),
        _("Residence area code"),
        *[str(field.verbose_name) for field in REGISTRY_FIELDS],
    ]


def _registry_value(field: models.Field, value):
    if field.name in _CHOICE_LABELS:
        return _label(_CHOICE_LABELS[field.name], value)
    if isinstance(field, models.BooleanField):
        return _yes_no(value)
    if value is None:
        return ""
    return value


def _registry_row(row: dict) -> list:
    return [
        row["id"],
        row["unit__code"],
        row["unit__name"],
        row["residence_area__code"] or "",
        *[_registry_value(field, row[field.name]) for field in REGISTRY_FIELDS],
    ]


MEMBER_LIST_COLUMNS = (
    ("full_name", gettext_lazy("Full name")),
    ("date_of_birth", gettext_lazy("Date of birth")),
    ("sex", gettext_lazy("Sex")),
    ("unit__code", gettext_lazy("Cell code")),
    ("unit__name", gettext_lazy("Cell")),
    ("status", gettext_lazy("Status")),
    ("standing", gettext_lazy("Standing")),
    ("card_number", gettext_lazy("Party card number")),
    ("citizen_id", gettext_lazy("Citizen ID")),
    ("phone", gettext_lazy("Phone")),
    ("is_eligible", gettext_lazy("Eligible for the app")),
)


def _member_list_row(number: int, row: dict) -> list:
    values = [number]
    for name, _label_text in MEMBER_LIST_COLUMNS:
        value = row[name]
        if name in _CHOICE_LABELS:
            value = _label(_CHOICE_LABELS[name], value)
        elif name == "is_eligible":
            value = _yes_no(value)
        values.append("" if value is None else value)
    return values


# -- the exports -----------------------------------------------------------------------------------------


def _stream(rows) -> Iterator[dict]:
    return rows.iterator(chunk_size=ITERATOR_CHUNK)


def _filename(kind: str, label: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    safe = "".join(char if char.isalnum() or char in "-_." else "-" for char in label)
    return f"{kind}-{safe}-{stamp}.xlsx"


def export_purpose_clean(purpose: str) -> str:
    """The purpose of an export, spaces tidied; ValidationError when it is missing or too long. Every export of
    personal data states one (Decree 13/2023: data is processed for a stated purpose) and the log keeps it."""
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ValidationError({"purpose": _("Say what the export is for.")})
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError({"purpose": _("Say it in at most %(limit)s characters.") % {"limit": PURPOSE_MAX_LENGTH}})
    return purpose


def _log_export(*, actor: User, unit: Unit | None, kind: str, rows: int, filters: dict, purpose: str) -> None:
    """The change-log rows saying who exported what and why: the filters, the rows, the purpose, and the unit
    exported, so that the unit's access log shows it. Without a unit filter the export covers the actor's whole
    scope: one row for each outermost unit of it (the user's own record when they have none)."""
    units = (
        [unit]
        if unit is not None
        else list(Unit.objects.filter(path__in=granted_unit_paths(actor, Permission.MEMBER_VIEW)))
    )
    after = {"export": kind, "unit": unit.code if unit else None, "filters": filters, "rows": rows, "purpose": purpose}
    for exported in units or [None]:
        change_log(
            actor=actor,
            obj=exported if exported is not None else actor,
            action=ChangeAction.EXPORT,
            before=None,
            after=after,
            reason=f"{ExportKind(kind).label}: {purpose}",
            unit=exported,
        )


def _subtree_members(*, actor: User, unit: Unit):
    return members_visible_to(actor, Permission.MEMBER_VIEW).filter(unit__path__startswith=unit.path)


@transaction.atomic
def members_export_cell_list(*, actor: User, unit: Unit, purpose: str) -> ExportFile:
    """The 7-HSĐV member list of `unit` and the cells under it: every member on their registers,
    including those who left, died or moved out (the book keeps them), in cell order then by date of joining.
    """
    purpose = export_purpose_clean(purpose)
    rows = (
        _subtree_members(actor=actor, unit=unit)
        .order_by("unit__path", "joined_on", "id")
        .values("unit__name", *CELL_LIST_FIELDS)
    )
    preamble = [[_("LIST OF PARTY MEMBERS (form 7-HSĐV)")], [unit.name]]
    writer = _SheetWriter(title=_("Member list"), header=[str(label) for label in CELL_LIST_HEADER], preamble=preamble)
    count = 0
    for count, row in enumerate(_stream(rows), start=1):
        writer.append(_cell_list_row(count, row))
    output = writer.finish()
    _log_export(actor=actor, unit=unit, kind=ExportKind.CELL_LIST, rows=count, filters={}, purpose=purpose)
    return ExportFile(file=output, filename=_filename("7-HSDV", unit.code), rows=count)


@transaction.atomic
def members_export_registry(*, actor: User, unit: Unit, purpose: str) -> ExportFile:
    """Every field of every member record in `unit`'s subtree, one column per field."""
    purpose = export_purpose_clean(purpose)
    rows = (
        _subtree_members(actor=actor, unit=unit)
        .order_by("unit__path", "sort_name", "id")
        .values("id", "unit__code", "unit__name", "residence_area__code", *[field.name for field in REGISTRY_FIELDS])
    )
    writer = _SheetWriter(title=_("Registry"), header=_registry_header())
    count = 0
    for row in _stream(rows):
        writer.append(_registry_row(row))
        count += 1
    output = writer.finish()
    _log_export(actor=actor, unit=unit, kind=ExportKind.REGISTRY, rows=count, filters={}, purpose=purpose)
    return ExportFile(file=output, filename=_filename("so-dang-vien", unit.code), rows=count)


@transaction.atomic
def members_export_list(
    *,
    actor: User,
    purpose: str,
    search: str = "",
    status: str = "",
    unit: Unit | None = None,
    is_eligible: bool | None = None,
) -> ExportFile:
    """The member list page's rows for the same search and filters (`members.selectors.member_list`)."""
    purpose = export_purpose_clean(purpose)
    members = member_list(actor=actor, search=search, status=status, unit=unit, is_eligible=is_eligible)
    rows = members.values(*[name for name, _label_text in MEMBER_LIST_COLUMNS])
    header = [_("No."), *[str(label) for _name, label in MEMBER_LIST_COLUMNS]]
    writer = _SheetWriter(title=_("Members"), header=header)
    count = 0
    for count, row in enumerate(_stream(rows), start=1):
        writer.append(_member_list_row(count, row))
    output = writer.finish()
    filters = {
        "search": search,
        "status": status,
        "unit": unit.code if unit else "",
        "eligible": "" if is_eligible is None else is_eligible,
    }
    filters = {key: value for key, value in filters.items() if value != ""}
    _log_export(actor=actor, unit=unit, kind=ExportKind.MEMBER_LIST, rows=count, filters=filters, purpose=purpose)
    return ExportFile(file=output, filename=_filename("danh-sach", unit.code if unit else "dang-vien"), rows=count)
