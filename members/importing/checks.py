"""The preview's checks of each row, made from the row and what the registry holds for it, without the database.

The preview (`services.import_job_preview`) reads the file in order and looks up, for each chunk of rows, what
needs the database or the rows above: the members holding the chunk's identifiers, the people sharing a name and
date of birth, the areas named, the earlier rows carrying the same number (`InFile`). What is left, the checks of
each row (parsing its cells, the record rules, identity, scope, what would change), is the same for any chunk
anywhere: `check_chunk` runs in the preview's own process or in a worker process (`parallel`), with the same
findings in the same order.
"""

import collections
import copy
import dataclasses
import datetime
import json
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.scoping import has_unit_permission
from common.text import fold_for_search
from members.choices import ImportRowKind
from orgunits.choices import CELL_KINDS

from .. import services as member_services
from ..choices import Standing
from ..fields import PLACEMENT_FIELDS
from ..models import ImportJob, Member
from . import headers as header_tools
from .columns import COLUMN_SAMPLE
from .reading import column_letter
from .values import CellError, PartialDate, parse_value

# Fields a new member cannot be created without (the cell comes from a column or from the job's unit).
REQUIRED_FOR_NEW = ("full_name", "sex", "date_of_birth", "joined_on")
_PLACEMENT = set(header_tools.PLACEMENT_COLUMNS)

# The columns of an ImportRow as `check_chunk` gives them, in this order.
ROW_COLUMNS = [
    "job_id",
    "row_number",
    "kind",
    "member_id",
    "matched_by",
    "full_name",
    "data",
    "changes",
    "errors",
    "partial_dates",
    "new_record",
    "kind_if_kept",
    "recorded_problems",
    "cells",
]


@dataclasses.dataclass
class FileChecks:
    """What the checks of every row of one file read: the same for the whole file, sent once to each worker."""

    job: ImportJob  # with its unit
    actor: object  # with its roles read (accounts.scoping keeps them on the user): a worker has no database
    language: str | None  # the messages' language
    cells_by_code: dict
    cells_by_name: dict
    columns: dict  # field → column label
    as_of: datetime.date  # the day the dates are checked against
    member_defaults: dict  # a new member's defaults, read once for the job


class InFile(NamedTuple):
    """What the rows above say about a row: the first earlier row with its party card number, with its citizen ID,
    and with the same person (folded name and date of birth) under other identifiers. Found by the preview, which
    reads the file in order."""

    card_row: int | None
    citizen_row: int | None
    person_row: int | None


@dataclasses.dataclass
class Chunk:
    """Consecutive rows of the file, each as (row number, values, InFile), with what the registry holds for them."""

    rows: list
    members_by_card: dict  # card number → member (with its cell and area)
    members_by_citizen: dict  # citizen ID → member
    people: dict  # (folded name, date of birth) → members
    areas: dict  # area code → area, or None when there is none


@dataclasses.dataclass
class Checked:
    """What the checks of a chunk found: the rows to store (tuples of ROW_COLUMNS) and what the preview adds up."""

    row_count: int = 0  # the rows of the file checked, empty ones included
    rows: list = dataclasses.field(default_factory=list)
    counts: dict = dataclasses.field(default_factory=lambda: dict.fromkeys(ImportRowKind.values, 0))
    recorded_rows: int = 0
    matched_ids: set = dataclasses.field(default_factory=set)
    covered_cell_ids: set = dataclasses.field(default_factory=set)
    # Unchanged rows are not stored; one that turns out to be the earlier row of a duplicate is: row → (member, name).
    unchanged_rows: dict = dataclasses.field(default_factory=dict)
    # Up to COLUMN_SAMPLE non-empty cells of each mapped column, to check the mapping against (columns.py).
    samples: dict = dataclasses.field(default_factory=lambda: collections.defaultdict(list))


def check_chunk(checks: FileChecks, chunk: Chunk) -> Checked:
    checked = Checked(row_count=len(chunk.rows))
    with translation.override(checks.language):
        for row_number, values, in_file in chunk.rows:
            row = _evaluate(checks, chunk, checked, row_number, values, in_file)
            if row is not None:
                checked.rows.append(row)
    return checked


def json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def column_label(job: ImportJob, index: int) -> str:
    """A column as the officer sees it: its letter and header ("H · Số CCCD")."""
    header = job.headers[index] if index < len(job.headers) else ""
    return f"{column_letter(index)} · {header}" if header else column_letter(index)


def folded_name(name: str) -> str:
    return fold_for_search(name).replace(" ", "")


def duplicate_message(field: str) -> str:
    """The message of a number carried by two rows, to format with the number and the other row."""
    if field == "card_number":
        return _("The party card number %(value)s is also on row %(row)s: say which row holds it.")
    return _("The citizen ID %(value)s is also on row %(row)s: say which row holds it.")


def _find_cell(context: FileChecks, placement: dict, errors: list):
    job = context.job
    code, name = placement.get(header_tools.UNIT_CODE), placement.get(header_tools.UNIT_NAME)
    if code:
        cell = context.cells_by_code.get(str(code).strip().upper())
        if cell is None:
            errors.append(
                (
                    context.columns.get(header_tools.UNIT_CODE, ""),
                    _("There is no cell with the code “%(code)s” in %(unit)s.") % {"code": code, "unit": job.unit.name},
                )
            )
        return cell
    if name:
        cells = context.cells_by_name.get(fold_for_search(str(name)), [])
        if len(cells) == 1:
            return cells[0]
        message = (
            _("There is no cell named “%(name)s” in %(unit)s.")
            if not cells
            else _("Several cells in %(unit)s are named “%(name)s”: use the cell code.")
        )
        errors.append(
            (context.columns.get(header_tools.UNIT_NAME, ""), message % {"name": name, "unit": job.unit.name})
        )
        return None
    if job.unit.kind in CELL_KINDS:
        return job.unit
    errors.append(("", _("The row names no cell.")))
    return None


def _cell_column(context: FileChecks, placement: dict) -> str:
    """The column the row's cell was read from; "" when the row names none (the job's own cell)."""
    for field in (header_tools.UNIT_CODE, header_tools.UNIT_NAME):
        if placement.get(field):
            return context.columns.get(field, "")
    return ""


def _cell_text(raw) -> str:
    """A cell as the officer typed it, for the preview's correction form."""
    if raw is None:
        return ""
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _lost_zero(field: str, raw, value) -> bool:
    """A number cell that held an identifier shorter than its length: Excel dropped its leading zero."""
    if field not in ("citizen_id", "card_number") or isinstance(raw, bool) or not isinstance(raw, int | float):
        return False
    return isinstance(value, str) and value.startswith("0") and len(str(int(raw))) < len(value)


def _parse_row(context: FileChecks, checked: Checked, values: list):
    data, placement, errors, partial, warnings = {}, {}, [], [], []
    for index_text, field in context.job.mapping.items():
        index = int(index_text)
        raw = values[index] if index < len(values) else None
        if raw not in (None, "") and len(samples := checked.samples[index_text]) < COLUMN_SAMPLE:
            samples.append(raw)
        try:
            value = (
                parse_value(field, raw)
                if field not in _PLACEMENT
                else (None if raw in (None, "") else str(raw).strip())
            )
        except CellError as error:
            errors.append((column_label(context.job, index), error.message))
            continue
        if value in (None, ""):
            continue
        if field in _PLACEMENT:
            placement[field] = value
            continue
        if isinstance(value, PartialDate):
            partial.append(field)
        if _lost_zero(field, raw, value):
            warnings.append(
                (
                    column_label(context.job, index),
                    _(
                        "The cell holds the number %(number)s: a spreadsheet number drops leading zeros, so it was"
                        " read as %(value)s. Check it against the card, and format the column as text."
                    )
                    % {"number": int(raw), "value": value},
                )
            )
        data[field] = value
    return data, placement, errors, partial, warnings


def _errors_for(context: FileChecks, error: ValidationError) -> list:
    if not hasattr(error, "error_dict"):
        return [("", message) for message in error.messages]
    found = []
    for field, messages in error.message_dict.items():
        column = context.columns.get(field) or (header_tools.field_label(field) if field != "__all__" else "")
        found.extend((column, message) for message in messages)
    return found


def _same(field: str, old, new) -> bool:
    if isinstance(new, PartialDate):
        return isinstance(old, datetime.date) and old.year == new.year
    return old == new


def _shown_date(value) -> str:
    return str(value.year) if isinstance(value, PartialDate) else value.strftime("%d/%m/%Y")


def _another_person(member: Member, data: dict) -> bool:
    """Whether the row, matched to `member` by one identifier, names someone else: both its name (without
    diacritics, case and spaces) and its date of birth differ. One of the two may be a correction; both never
    change silently."""
    name, born = data.get("full_name"), data.get("date_of_birth")
    if not name or not born or not member.date_of_birth:
        return False
    return folded_name(name) != folded_name(member.full_name) and not _same("date_of_birth", member.date_of_birth, born)


def _validate(context: FileChecks, member: Member, errors: list, recorded: list) -> None:
    """The values' own checks block the row; the record rules it breaks are recorded (the member is kept)."""
    try:
        member.clean_fields(exclude=["unit", "residence_area"])
    except ValidationError as error:
        errors.extend(_errors_for(context, error))
    problems = member_services.record_rule_problems(member, as_of=context.as_of)
    for field in PLACEMENT_FIELDS:
        if field in problems:
            errors.extend(_errors_for(context, ValidationError({field: problems.pop(field)})))
    _add_recorded(context, problems, recorded)


def _add_recorded(context: FileChecks, problems: dict, recorded: list) -> None:
    for field, messages in problems.items():
        column = context.columns.get(field) or header_tools.field_label(field)
        recorded.extend((field, column, message) for message in messages)


def _probable_people(context: FileChecks, in_file: InFile, data: dict, member, people: dict) -> list:
    """Warnings for the same person (same name without diacritics, same date of birth) under other identifiers:
    an earlier row of the file, or a member already in the registry."""
    name, born = data.get("full_name"), data.get("date_of_birth")
    if not name or not born:
        return []
    warnings, key = [], (folded_name(name), born)
    identifiers = {data.get("card_number"), data.get("citizen_id")} - {None}
    if in_file.person_row is not None:
        warnings.append(
            (
                context.columns.get("full_name", ""),
                _("Probably the same person as row %(row)s: same name and date of birth, other identifiers.")
                % {"row": in_file.person_row},
            )
        )
    for other in people.get(key, []):
        if (member is not None and other.pk == member.pk) or identifiers & {other.card_number, other.citizen_id}:
            continue
        if has_unit_permission(context.actor, Permission.MEMBER_VIEW, other.unit):
            message = _(
                "Probably the same person as %(name)s (%(unit)s), already in the registry: same name and date of"
                " birth, other identifiers."
            ) % {"name": other.full_name, "unit": other.unit.name}
        else:
            message = _("A member outside your scope has the same name and date of birth: probably the same person.")
        warnings.append((context.columns.get("full_name", ""), message))
    return warnings


def _evaluate(context: FileChecks, chunk: Chunk, checked: Checked, row_number: int, values: list, in_file: InFile):
    """The ImportRow of one data row as a tuple of `ROW_COLUMNS` (a model instance each costs more than its
    insert), or None for an empty row or an unchanged one.

    Problems are of two kinds (README, "Importing a roster"). Blocking ones (no identifier, no cell, a value the
    registry cannot hold, an identity conflict, a number another row also carries) keep the row out until they
    are corrected or decided. Recorded ones (the record rules a value breaks: a citizen ID failing its check,
    dates out of order…) do not: the member is written and each problem is flagged on them."""
    if all(value in (None, "") for value in values):
        return None
    job, actor = context.job, context.actor
    data, placement, errors, partial, warnings = _parse_row(context, checked, values)
    recorded = []  # (field, column, message)
    cell = _find_cell(context, placement, errors)
    if cell is not None:
        if not has_unit_permission(actor, Permission.MEMBER_CHANGE, cell):
            errors.append(
                (
                    _cell_column(context, placement),
                    _("The cell “%(name)s” is outside your scope.") % {"name": cell.name},
                )
            )
            cell = None
        elif cell.closed_on:
            errors.append(
                (
                    _cell_column(context, placement),
                    _("“%(name)s” is closed: choose an open cell.") % {"name": cell.name},
                )
            )
    area_code = placement.get(header_tools.RESIDENCE_AREA_CODE)
    area = chunk.areas[area_code] if area_code else None
    if area_code and area is None:
        errors.append(
            (
                context.columns.get(header_tools.RESIDENCE_AREA_CODE, ""),
                _("Unknown area code “%(code)s”.") % {"code": area_code},
            )
        )

    card, citizen = data.get("card_number"), data.get("citizen_id")
    duplicates = []  # (column, message, the other row)
    for value, other, column in ((card, in_file.card_row, "card_number"), (citizen, in_file.citizen_row, "citizen_id")):
        if other is not None:
            message = duplicate_message(column) % {"value": value, "row": other}
            duplicates.append((context.columns.get(column, ""), message, other))

    by_card = chunk.members_by_card.get(card) if card else None
    by_citizen = chunk.members_by_citizen.get(citizen) if citizen else None
    member, matched_by = (by_card, "card_number") if by_card else (by_citizen, "citizen_id" if by_citizen else "")
    conflicts = []  # identity first: such a row waits for the officer whatever else it says
    if by_card and by_citizen and by_card.pk != by_citizen.pk:
        conflicts.append(
            (
                context.columns.get("citizen_id", ""),
                _("The party card number and the citizen ID belong to two different members."),
            )
        )
    if not card and not citizen:
        errors.append(("", _("The row has neither a party card number nor a citizen ID.")))
    if member is not None and not has_unit_permission(actor, Permission.MEMBER_CHANGE, member.unit):
        errors.append(("", _("This member is on the roll of a unit outside your scope.")))
        member = None
    if member is not None and not conflicts and _another_person(member, data):
        conflicts.append(
            (
                context.columns.get(matched_by, ""),
                _(
                    "This number belongs to %(name)s, born %(born)s; the row names %(row_name)s, born %(row_born)s."
                    " Say whether they are the same person."
                )
                % {
                    "name": member.full_name,
                    "born": _shown_date(member.date_of_birth),
                    "row_name": data["full_name"],
                    "row_born": _shown_date(data["date_of_birth"]),
                },
            )
        )
    # Every member the row names, by either identifier, is in the file (not "missing"), even when the row is refused.
    checked.matched_ids.update(named.pk for named in (by_card, by_citizen) if named is not None)
    if cell is not None:
        checked.covered_cell_ids.add(cell.pk)
    warnings += _probable_people(context, in_file, data, member, chunk.people)
    # Other digits or letters are no number of the registry (and a second spelling of one): the row waits.
    not_numbers = {
        field
        for field in ("card_number", "citizen_id")
        if data.get(field) and not (data[field].isascii() and data[field].isdigit())
    }
    for field in not_numbers:
        errors.append((context.columns.get(field, ""), _("Write this number with the digits 0–9 only.")))

    # Every check runs whatever the earlier ones found: the officer sees all of a row's problems at once.
    changes, new_record = [], None
    if member is not None:
        candidate = copy.copy(member)
        for field, value in data.items():
            old = getattr(member, field)
            if _same(field, old, value):
                continue
            changes.append([field, json_value(old), json_value(value)])
            setattr(candidate, field, value)
        if cell is not None and cell.pk != member.unit_id:
            changes.append(["unit", member.unit.name, cell.name])
            candidate.unit = cell
        if area is not None and area.pk != member.residence_area_id:
            changes.append(["residence_area", member.residence_area_id, area.pk])
            candidate.residence_area = area
        if "standing" not in data and "official_on" in data:
            candidate.standing = Standing.OFFICIAL if candidate.official_on else Standing.PROBATIONARY
        if candidate.is_eligible and "ineligibility_reason" not in data:
            candidate.ineligibility_reason = ""
        if changes:
            _validate(context, candidate, errors, recorded)
        # Unique identifiers taken by someone else.
        for field, owners in (("card_number", chunk.members_by_card), ("citizen_id", chunk.members_by_citizen)):
            owner = owners.get(data.get(field)) if data.get(field) else None
            if owner is not None and owner.pk != member.pk:
                errors.append(
                    (context.columns.get(field, ""), str(Member._meta.get_field(field).error_messages["unique"]))
                )
    elif not (by_card or by_citizen):
        reported = {column for column, _message in errors}
        missing = [field for field in REQUIRED_FOR_NEW if field not in data]
        for field in missing:
            column = context.columns.get(field) or header_tools.field_label(field)
            if column not in reported:  # an unreadable value is named already, by why it is unreadable
                errors.append((column, _("A new member needs this value.")))
        new_record, blocking, problems = member_services.new_member_record_with_problems(
            {**data, "unit": cell, "residence_area": area},
            as_of=context.as_of,
            defaults=context.member_defaults,
        )
        # Named above, each by its own column: the missing values and a missing or refused cell.
        for field in [*missing, *(["unit"] if cell is None else [])]:
            blocking.pop(field, None)
        errors.extend(_errors_for(context, ValidationError(blocking)) if blocking else [])
        _add_recorded(context, problems, recorded)

    recorded = [problem for problem in recorded if problem[0] not in not_numbers]
    if member is None:
        kind_if_kept = ImportRowKind.NEW
    else:
        kind_if_kept = ImportRowKind.CHANGED if changes else ImportRowKind.UNCHANGED
    if conflicts:
        kind = ImportRowKind.CONFLICT
    elif errors:
        kind = ImportRowKind.ERROR
    elif duplicates:
        kind = ImportRowKind.DUPLICATE
    else:
        kind = kind_if_kept
    checked.counts[kind] += 1
    if kind == ImportRowKind.UNCHANGED:
        if card or citizen:
            checked.unchanged_rows[row_number] = (member.pk, member.full_name)
        return None
    if kind in (ImportRowKind.NEW, ImportRowKind.CHANGED) and recorded:
        checked.recorded_rows += 1
    stored = {field: json_value(value) for field, value in data.items()}
    if cell is not None:
        stored["unit"] = cell.pk
    if area is not None:
        stored["residence_area"] = area.pk
    waiting = kind in (ImportRowKind.CONFLICT, ImportRowKind.ERROR, ImportRowKind.DUPLICATE)
    keeps_record = kind == ImportRowKind.NEW or (kind == ImportRowKind.DUPLICATE and member is None)
    return (
        job.pk,
        row_number,
        kind,
        member.pk if member is not None else None,
        matched_by,
        str(data.get("full_name", ""))[:200],
        json.dumps(stored),
        _json_list(changes),
        _json_list(
            [{"column": column, "message": str(message), "conflict": True} for column, message in conflicts]
            + [{"column": column, "message": str(message)} for column, message in errors]
            + [
                {"column": column, "message": str(message), "duplicate": True, "other_row": other}
                for column, message, other in duplicates
            ]
            + [{"column": column, "message": str(message), "warning": True} for column, message in warnings]
        ),
        _json_list(partial if kind != ImportRowKind.ERROR else []),
        member_services.stored_new_record(new_record) if keeps_record and new_record else None,
        kind_if_kept if kind == ImportRowKind.DUPLICATE else "",
        _json_list([[field, column, str(message)] for field, column, message in recorded]),
        json.dumps(_row_cells(context, values)) if waiting or recorded or warnings else None,
    )


def _json_list(items: list) -> str:
    """`items` as JSON text; most of a clean file's lists are empty, and `json.dumps` costs more than its result."""
    return json.dumps(items) if items else "[]"


def _row_cells(context: FileChecks, values: list) -> dict:
    return {
        index: _cell_text(values[int(index)] if int(index) < len(values) else None) for index in context.job.mapping
    }
