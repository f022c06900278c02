"""The import job's steps: create (upload) → map columns → preview → commit. Every write to a member
goes through `members.services`, inside `change_context(source=IMPORT)` with a reason naming the job."""

import collections
import concurrent.futures
import contextvars
import dataclasses
import datetime
import functools
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.choices import ChangeAction, ChangeSource
from audit.context import change_context
from audit.services import change_log
from common.bulk import insert_rows, keys_by_value
from common.dates import today
from common.locks import held_across_transactions
from common.text import fold_for_search
from members.choices import ImportRowDecision, ImportRowKind, ImportState, MemberReviewFlagKind
from orgunits.choices import CELL_KINDS
from orgunits.models import AdminArea, Unit

from .. import services as member_services
from ..choices import CURRENT_STATUSES
from ..models import ImportJob, ImportRow, Member, MemberReviewFlag
from . import headers as header_tools
from . import parallel
from .checks import (
    ROW_COLUMNS,
    Checked,
    Chunk,
    FileChecks,
    InFile,
    check_chunk,
    column_label,
    duplicate_message,
    folded_name,
    json_value,
)
from .columns import COLUMN_SAMPLE, column_warnings
from .reading import ImportFileError, file_size_message, open_table
from .values import DATE_FIELDS, CellError, parse_value

logger = logging.getLogger(__name__)

PREVIEW_BATCH = 1_000
PROGRESS_EVERY_SECONDS = 1.0
COMMIT_BATCH = getattr(settings, "IMPORT_COMMIT_BATCH", 5_000)
COMMIT_CONNECTIONS = getattr(settings, "IMPORT_COMMIT_CONNECTIONS", 2)
# The fields the look-ups of a chunk read (checks.InFile, the registry's members and people).
_KEY_FIELDS = ("card_number", "citizen_id", "full_name", "date_of_birth")
# Fields `members.services` sets from a new status when the change does not give them.
_DERIVED_FROM_STATUS = ("is_eligible", "ineligibility_reason")
# The connection itself failed (dropped, server restarting, failover), not the data: the commit task retries these.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def _require_access(actor: User, job: ImportJob) -> None:
    require_unit_permission(actor, Permission.MEMBER_CHANGE, job.unit)


def import_reason(job: ImportJob) -> str:
    return _("Roster import #%(id)s: %(file)s") % {"id": job.pk, "file": job.original_name}


# -- 1. upload -----------------------------------------------------------------------------------------------


def _copy_to_temporary(uploaded) -> str:
    handle, path = tempfile.mkstemp(prefix="sotay-import-")
    size = 0
    with os.fdopen(handle, "wb") as output:
        chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(1 << 20), b"")
        for chunk in chunks:
            size += len(chunk)
            if size > settings.IMPORT_MAX_FILE_BYTES:
                os.unlink(path)
                raise ValidationError({"file": file_size_message(settings.IMPORT_MAX_FILE_BYTES)})
            output.write(chunk)
    return path


def _shown_name(name: str) -> str:
    """The file's name as officials see it: its last part, without control characters (which a database column
    may refuse: NUL); "roster" when nothing is left."""
    name = os.path.basename("".join(char for char in name if char.isprintable()).replace("\\", "/")).strip()
    return name[:255] if name not in ("", ".", "..") else "roster"


def _stored_name(original_name: str) -> str:
    # Our own name on disk: the original may be anything, even too long for the file field (it is kept on the job).
    suffix = os.path.splitext(original_name)[1].lower()
    return "roster" + (suffix if suffix in (".xlsx", ".xlsm", ".csv", ".txt") else "")


def import_job_create(
    *, actor: User, unit: Unit, uploaded_file, original_name: str = "", encoding: str = "", sheet_name: str = ""
):
    """Check that the file can be read and find its header; nothing is written unless it can."""
    require_unit_permission(actor, Permission.MEMBER_CHANGE, unit)
    original_name = _shown_name(original_name or getattr(uploaded_file, "name", "") or "")
    path = _copy_to_temporary(uploaded_file)
    try:
        remembered = header_tools.remembered_mappings(actor)
        try:
            with open_table(
                path,
                original_name=original_name,
                score=header_tools.header_scorer(remembered),
                encoding=encoding,
                sheet_name=sheet_name,
            ) as table:
                found = (table.header_row, table.headers, table.encoding, table.sheet_name, table.total_rows)
        except ImportFileError as error:
            raise ValidationError({"file": error.message}) from error
        header_row, headers, detected, sheet, total = found
        with transaction.atomic():
            job = ImportJob(
                unit=unit,
                created_by=actor,
                original_name=original_name,
                encoding=encoding,
                detected_encoding=detected,
                sheet_name=sheet,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                header_row=header_row,
                headers=headers,
                mapping=header_tools.recognise(headers, remembered=remembered),
                total_rows=total,
            )
            with open(path, "rb") as stored:
                job.file.save(_stored_name(original_name), File(stored), save=False)
            job.save()
        return job
    finally:
        if os.path.exists(path):
            os.unlink(path)


# -- 2. mapping ------------------------------------------------------------------------------------------------


def import_job_set_mapping(*, actor: User, job: ImportJob, mapping: dict[str, str], remember: bool = True) -> ImportJob:
    """Say which column holds which field. Raises ValidationError when the mapping cannot work."""
    _require_access(actor, job)
    if job.is_running or job.state == ImportState.COMMITTED:
        raise ValidationError(_("This import can no longer be changed."))
    allowed = {field for field, _label in header_tools.field_choices()}
    mapping = {str(index): field for index, field in mapping.items() if field}
    errors = []
    fields = list(mapping.values())
    for field in sorted({field for field in fields if fields.count(field) > 1}):
        errors.append(_("“%(field)s” is chosen for more than one column.") % {"field": header_tools.field_label(field)})
    if set(fields) - allowed:
        errors.append(_("Unknown field."))
    if "full_name" not in fields:
        errors.append(_("Choose the column with the member's full name."))
    if not {"card_number", "citizen_id"} & set(fields):
        errors.append(
            _("Choose the column with the party card number or the citizen ID: rows are matched to members by them.")
        )
    if not {header_tools.UNIT_CODE, header_tools.UNIT_NAME} & set(fields) and job.unit.kind not in CELL_KINDS:
        errors.append(_("Choose the column with the cell (code or name), or import into a cell."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job.mapping = mapping
        job.state = ImportState.MAPPING
        job.save(update_fields=["mapping", "state"])
        if remember:
            header_tools.remember_mapping(user=actor, headers=job.headers, mapping=mapping)
    return job


# -- 3. preview -------------------------------------------------------------------------------------------------


def _from_json(field: str, value):
    if field in DATE_FIELDS and value:
        return datetime.date.fromisoformat(value)
    return value


@dataclasses.dataclass
class _Context:
    """What the preview of one job keeps across chunks (kept small: ids and identifiers only)."""

    checks: FileChecks
    # "card_number", "citizen_id", "full_name", "date_of_birth" and the residence area's code → index of its column
    columns: dict
    areas: dict = dataclasses.field(default_factory=dict)  # code → area (None when there is none), looked up so far
    card_rows: dict = dataclasses.field(default_factory=dict)
    citizen_rows: dict = dataclasses.field(default_factory=dict)
    # (folded name, date of birth) → the first row naming that person, with its identifiers.
    people_rows: dict = dataclasses.field(default_factory=dict)
    # The earlier row of each in-file duplicate: (its row number, column, message naming the later row, later row).
    earlier_duplicates: list = dataclasses.field(default_factory=list)
    # What the chunks' checks found, added up.
    found: Checked = dataclasses.field(default_factory=Checked)


def _load_cells(job: ImportJob) -> tuple[dict, dict]:
    cells = Unit.objects.filter(path__startswith=job.unit.path, kind__in=CELL_KINDS).only(
        "id", "path", "code", "name", "kind", "closed_on", "depth"
    )
    by_code, by_name = {}, {}
    for cell in cells.iterator(chunk_size=2_000):
        by_code[cell.code.upper()] = cell
        by_name.setdefault(fold_for_search(cell.name), []).append(cell)
    return by_code, by_name


def _hold_earlier_duplicates(context: _Context) -> None:
    """The earlier row of an in-file duplicate names the later one and waits like it: which of the two holds the
    number is the officer's call (ImportRowDecision.KEEP), not the file's order."""
    by_row = collections.defaultdict(list)
    for row_number, column, message, other in context.earlier_duplicates:
        by_row[row_number].append({"column": column, "message": str(message), "duplicate": True, "other_row": other})
    if not by_row:
        return
    job, found = context.checks.job, context.found
    stored = {row.row_number: row for row in job.rows.filter(row_number__in=list(by_row))}
    for row_number, entries in by_row.items():
        row = stored.get(row_number)
        if row is None:
            member_id, full_name = found.unchanged_rows[row_number]
            row = ImportRow(
                job=job,
                row_number=row_number,
                kind=ImportRowKind.UNCHANGED,
                member_id=member_id,
                full_name=full_name,
            )
        row.errors = row.errors + entries
        if row.kind in (ImportRowKind.NEW, ImportRowKind.CHANGED, ImportRowKind.UNCHANGED):
            found.counts[row.kind] -= 1
            found.counts[ImportRowKind.DUPLICATE] += 1
            if row.kind != ImportRowKind.UNCHANGED and row.recorded_problems:
                found.recorded_rows -= 1
            row.kind, row.kind_if_kept = ImportRowKind.DUPLICATE, row.kind
        row.save()


def _members_by_card_and_citizen(cards: set, citizens: set) -> tuple[dict, dict]:
    """The registry's members with one of these card numbers, and with one of these citizen IDs: (card number →
    member, citizen ID → member). The keys first (a new roster matches none), then the members found, each read
    once: a re-imported roster finds most of its members by both (reading them twice took 40 % of its check)."""
    card_keys = keys_by_value(Member, "card_number", cards)
    citizen_keys = keys_by_value(Member, "citizen_id", citizens)
    if not card_keys and not citizen_keys:
        return {}, {}
    found = Member.objects.filter(pk__in={*card_keys.values(), *citizen_keys.values()})
    members = {member.pk: member for member in found.select_related("unit", "residence_area")}
    return (
        {card: members[pk] for card, pk in card_keys.items() if pk in members},
        {citizen: members[pk] for citizen, pk in citizen_keys.items() if pk in members},
    )


def _people_by_name_and_birth(names: set, births: set) -> dict:
    """The registry's members with one of the folded `names` and one of the dates of birth: (folded name without
    spaces, date of birth) → members."""
    if not names:
        return {}
    if connection.vendor == "postgresql":
        # The keys first, the names and dates as two array parameters (Django's `__in` has the driver split a query
        # of a thousand placeholders each in Python); a new roster matches none.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {connection.ops.quote_name(Member._meta.db_table)}"
                " WHERE search_name = ANY(%s) AND date_of_birth = ANY(%s)",
                [list(names), list(births)],
            )
            found = Member.objects.filter(pk__in=[pk for (pk,) in cursor.fetchall()])
    else:
        found = Member.objects.filter(search_name__in=names, date_of_birth__in=births)
    people = collections.defaultdict(list)
    found = found.select_related("unit")
    for member in found.only("pk", "full_name", "date_of_birth", "card_number", "citizen_id", "unit"):
        people[(folded_name(member.full_name), member.date_of_birth)].append(member)
    return people


def _areas_by_code(context: _Context, codes: set) -> dict:
    """code → area (None when there is none) for `codes`, each looked up once for the whole file."""
    if missing := codes - context.areas.keys():
        found = {area.code: area for area in AdminArea.objects.filter(code__in=missing)}
        context.areas.update((code, found.get(code)) for code in missing)
    return {code: context.areas[code] for code in codes}


def _in_file(context: _Context, row_number: int, card, citizen, folded: str | None, born) -> InFile:
    """What the rows above say about this one (read in the file's order, so that a chunk can be checked anywhere):
    the earlier rows with its numbers, the earlier row naming the same person under other identifiers."""
    others = []
    for value, seen, field in ((card, context.card_rows, "card_number"), (citizen, context.citizen_rows, "citizen_id")):
        other = seen.get(value) if value else None
        if other is not None:
            # The earlier row names this one too, and waits like it (_hold_earlier_duplicates).
            message = duplicate_message(field) % {"value": value, "row": row_number}
            context.earlier_duplicates.append((other, context.checks.columns.get(field, ""), message, row_number))
        elif value:
            seen[value] = row_number
        others.append(other)
    person_row = None
    if folded is not None and born:
        identifiers = {card, citizen} - {None}
        first_row, first_identifiers = context.people_rows.setdefault(
            (folded.replace(" ", ""), born), (row_number, identifiers)
        )
        if first_row != row_number and not identifiers & first_identifiers:
            person_row = first_row
    return InFile(*others, person_row)


def _look_up(context: _Context, batch: list) -> Chunk:
    """A chunk of (row number, values), with what the rows above say about each row and what the registry holds
    for them: the look-ups that need the database or the whole file, made here, in order, in bulk."""
    rows, cards, citizens, names, births, codes = [], set(), set(), set(), set(), set()
    area_column = context.columns.get(header_tools.RESIDENCE_AREA_CODE)
    for row_number, values in batch:
        card = _identifier(context, values, "card_number") or None
        citizen = _identifier(context, values, "citizen_id") or None
        name, born = _identifier(context, values, "full_name"), _identifier(context, values, "date_of_birth")
        folded = fold_for_search(name) if name else None  # checks.folded_name, less its spaces
        rows.append((row_number, values, _in_file(context, row_number, card, citizen, folded, born)))
        cards.add(card)
        citizens.add(citizen)
        if folded is not None and isinstance(born, datetime.date):
            names.add(folded[:200])
            births.add(born)
        # The code as the checks read a placement cell (checks._parse_row).
        if area_column is not None and area_column < len(values) and values[area_column] not in (None, ""):
            codes.add(str(values[area_column]).strip())
    members_by_card, members_by_citizen = _members_by_card_and_citizen(cards - {None}, citizens - {None})
    return Chunk(
        rows=rows,
        members_by_card=members_by_card,
        members_by_citizen=members_by_citizen,
        people=_people_by_name_and_birth(names, births),
        areas=_areas_by_code(context, codes - {""}),
    )


def _identifier(context: _Context, values: list, field: str):
    """The value of one of the row's key fields (identifiers, name, date of birth), or None when unreadable."""
    index = context.columns.get(field)
    if index is None or index >= len(values):
        return None
    try:
        return parse_value(field, values[index])
    except CellError:
        return None


def _store(context: _Context, checked: Checked) -> None:
    """Write a chunk's rows (the chunks come in the file's order, and so the rows' ids follow it) and add up what
    its checks found."""
    insert_rows(ImportRow, ROW_COLUMNS, checked.rows)
    found = context.found
    for kind, count in checked.counts.items():
        found.counts[kind] += count
    found.recorded_rows += checked.recorded_rows
    found.matched_ids |= checked.matched_ids
    found.covered_cell_ids |= checked.covered_cell_ids
    found.unchanged_rows.update(checked.unchanged_rows)
    for index, cells in checked.samples.items():
        kept = found.samples[index]
        kept += cells[: COLUMN_SAMPLE - len(kept)]


def _insert_missing(job: ImportJob, members: list[tuple[int, str]]) -> None:
    """Insert MISSING rows as plain tuples: a whole commune may be missing from a cell's file."""
    insert_rows(
        ImportRow,
        ROW_COLUMNS,
        [
            (job.pk, 0, ImportRowKind.MISSING, pk, "", name[:200], "{}", "[]", "[]", "[]", None, "", "[]", None)
            for pk, name in members
        ],
    )


def _record_missing(context: _Context) -> None:
    """Current members of the covered cells that no row matched: listed for review, never deleted."""
    job, found = context.checks.job, context.found
    if job.unit.kind in CELL_KINDS:
        found.covered_cell_ids.add(job.unit.pk)
    cell_ids = sorted(found.covered_cell_ids)
    missing = []
    for start in range(0, len(cell_ids), 500):
        members = (
            Member.objects.filter(unit_id__in=cell_ids[start : start + 500], status__in=CURRENT_STATUSES)
            .values_list("pk", "full_name")
            .order_by("pk")
        )
        for pk, full_name in members.iterator(chunk_size=5_000):
            if pk in found.matched_ids:
                continue
            missing.append((pk, full_name))
            found.counts[ImportRowKind.MISSING] += 1
            if len(missing) >= 5_000:
                _insert_missing(job, missing)
                missing = []
    _insert_missing(job, missing)


def _save_progress(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def _refresh_row_statistics(rows_written: int) -> None:
    """After a large preview, the planner's statistics of the import rows: without them it takes the job's
    100,000 new rows for two, and the commit sorts them all on disk for each batch instead of reading the next
    ones by key."""
    if connection.vendor == "postgresql" and rows_written >= COMMIT_BATCH:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ImportRow._meta.db_table)}")


def _with_edits(values: list, edits: dict | None) -> list:
    """The row's cells with the officer's corrections (made in the preview) put over the file's."""
    if not edits:
        return values
    values = list(values)
    for index_text, text in edits.items():
        index = int(index_text)
        values.extend([None] * (index + 1 - len(values)))
        values[index] = text
    return values


def _chunks(context: _Context, rows: Iterable) -> Iterator[Chunk]:
    """The file's rows (with the officer's corrections), PREVIEW_BATCH at a time, each chunk with its look-ups."""
    edits, batch = context.checks.job.cell_edits, []
    for row_number, values in rows:
        batch.append((row_number, _with_edits(values, edits.get(str(row_number)))))
        if len(batch) >= PREVIEW_BATCH:
            yield _look_up(context, batch)
            batch = []
    if batch:
        yield _look_up(context, batch)


def import_job_preview(*, actor: User, job: ImportJob, progress=None) -> ImportJob:
    """Check every row against the registry and record what the commit would do. Writes no member.

    The rows are checked in chunks of PREVIEW_BATCH, on IMPORT_PREVIEW_PROCESSES cores (`parallel`): the look-ups
    that need the database or the rows above are made here, in the file's order; the checks of each row, in any
    process, find the same. `progress(done, total)` is called after each chunk (the command's progress bar).
    """
    _require_access(actor, job)
    if job.state in (ImportState.COMMITTING, ImportState.COMMITTED):
        raise ValidationError(_("This import has already been applied."))
    job.refresh_from_db(fields=["mapping", "cell_edits"])  # corrected since the instance was read, maybe
    decisions = _decisions_of(job)
    job.rows.all().delete()
    _save_progress(job, state=ImportState.PREVIEWING, processed_rows=0, error="", previewed_at=None)
    cells_by_code, cells_by_name = _load_cells(job)
    context = _Context(
        checks=FileChecks(
            job=job,
            # Its roles are read by now (_require_access), and travel with it to the workers.
            actor=actor,
            language=translation.get_language(),
            cells_by_code=cells_by_code,
            cells_by_name=cells_by_name,
            columns={field: column_label(job, int(index)) for index, field in job.mapping.items()},
            as_of=today(),
            member_defaults=member_services.new_member_defaults(),
        ),
        columns={
            field: int(index)
            for index, field in job.mapping.items()
            if field in (*_KEY_FIELDS, header_tools.RESIDENCE_AREA_CODE)
        },
    )
    processed = 0
    try:
        with (
            open_table(
                job.file.path,
                original_name=job.original_name,
                score=header_tools.header_scorer(header_tools.remembered_mappings(job.created_by)),
                encoding=job.encoding or job.detected_encoding,
                sheet_name=job.sheet_name,
            ) as table,
            parallel.InOrder(check_chunk, context.checks, processes=settings.IMPORT_PREVIEW_PROCESSES) as checking,
        ):
            saved_at = time.monotonic()
            for checked in checking.results(_chunks(context, table.rows)):
                _store(context, checked)
                processed += checked.row_count
                if checked.row_count == PREVIEW_BATCH:  # the last, shorter chunk is reported with the end
                    # The page asks every 2 s: the count is saved at most every second (a save a chunk took 4 % of
                    # the check).
                    if time.monotonic() - saved_at >= PROGRESS_EVERY_SECONDS:
                        _save_progress(job, processed_rows=processed)
                        saved_at = time.monotonic()
                    if progress:
                        progress(processed, job.total_rows)
        _hold_earlier_duplicates(context)
        _record_missing(context)
        _refresh_row_statistics(processed)
    except ImportFileError as error:
        job.rows.all().delete()
        _save_progress(job, state=ImportState.FAILED, error=error.message, processed_rows=processed)
        return job
    counts = context.found.counts
    _save_progress(
        job,
        state=ImportState.PREVIEWED,
        processed_rows=processed,
        total_rows=job.total_rows if job.total_rows and job.total_rows >= processed else processed,
        new_count=counts[ImportRowKind.NEW],
        changed_count=counts[ImportRowKind.CHANGED],
        unchanged_count=counts[ImportRowKind.UNCHANGED],
        error_count=counts[ImportRowKind.ERROR],
        missing_count=counts[ImportRowKind.MISSING],
        conflict_count=counts[ImportRowKind.CONFLICT],
        duplicate_count=counts[ImportRowKind.DUPLICATE],
        recorded_count=context.found.recorded_rows,
        column_warnings=column_warnings(
            job.mapping, context.found.samples, {index: column_label(job, int(index)) for index in job.mapping}
        ),
        applied_rows=0,
        applied_through=0,
        previewed_at=timezone.now(),
    )
    with transaction.atomic():
        _lock(job)
        _carry_decisions(job, decisions)
    if progress:
        progress(processed, processed)
    return job


_COUNT_FIELDS = {
    ImportRowKind.NEW: "new_count",
    ImportRowKind.CHANGED: "changed_count",
    ImportRowKind.UNCHANGED: "unchanged_count",
    ImportRowKind.ERROR: "error_count",
    ImportRowKind.CONFLICT: "conflict_count",
    ImportRowKind.DUPLICATE: "duplicate_count",
}
_APPLIED_KINDS = (ImportRowKind.NEW, ImportRowKind.CHANGED)


def _move(job: ImportJob, row: ImportRow, kind: str) -> None:
    """Move `row` to `kind`, the job's counts following it from one list to the other (saved by the caller)."""
    if kind == row.kind:
        return
    setattr(job, _COUNT_FIELDS[row.kind], getattr(job, _COUNT_FIELDS[row.kind]) - 1)
    setattr(job, _COUNT_FIELDS[kind], getattr(job, _COUNT_FIELDS[kind]) + 1)
    if row.recorded_problems:
        job.recorded_count += (kind in _APPLIED_KINDS) - (row.kind in _APPLIED_KINDS)
    row.kind = kind


def _decision_log(actor: User, job: ImportJob, row: ImportRow, before: dict) -> None:
    change_log(
        actor=actor,
        obj=row,
        action=ChangeAction.UPDATE,
        before=before,
        after={"decision": row.decision, "kind": row.kind, "row_number": row.row_number, "member": row.member_id},
        reason=import_reason(job),
        unit=job.unit,
    )


def _same_number_rows(job: ImportJob, row: ImportRow):
    """The other rows of the job carrying the row's card number or citizen ID."""
    same = Q()
    for field in ("card_number", "citizen_id"):
        if row.data.get(field):
            same |= Q(**{f"data__{field}": row.data[field]})
    return job.rows.filter(same).exclude(pk=row.pk).exclude(kind=ImportRowKind.MISSING) if same else job.rows.none()


def _check_decision(row: ImportRow, decision: str) -> None:
    if decision not in ImportRowDecision.values:
        raise ValidationError(_("Choose one of the decisions offered."))
    is_duplicate = row.kind == ImportRowKind.DUPLICATE or row.decision == ImportRowDecision.KEEP
    if is_duplicate:
        if decision not in (ImportRowDecision.KEEP, ImportRowDecision.SKIP):
            raise ValidationError(_("Say whether this row holds the number (keep it) or is skipped."))
        return
    if not (row.kind == ImportRowKind.CONFLICT or (row.kind == ImportRowKind.CHANGED and row.decision)):
        raise ValidationError(_("This row has no identity conflict to decide."))
    if decision == ImportRowDecision.KEEP:
        raise ValidationError(_("Choose same person, different person or skip."))
    if decision == ImportRowDecision.SAME_PERSON:
        owners = {
            owner
            for field in ("card_number", "citizen_id")
            if row.data.get(field)
            for owner in Member.objects.filter(**{field: row.data[field]}).values_list("pk", flat=True)
        }
        if owners != {row.member_id}:
            raise ValidationError(_("The row's identifiers belong to two different members: correct the file."))
        if any(_is_blocking(error) for error in row.errors):
            raise ValidationError(_("This row has other problems: correct the file and preview it again."))


def _is_blocking(error: dict) -> bool:
    """An error entry that keeps its row out whatever is decided (not the conflict itself, nor a warning)."""
    return not (error.get("conflict") or error.get("warning"))


def _apply_decision(*, job: ImportJob, row: ImportRow, decision: str, decided_by_id, decided_at) -> list:
    """Record `decision` on `row` (checked by `_check_decision`); returns [(row, before)] for every row changed."""
    changed = []

    def record(target: ImportRow, kind: str, value: str) -> None:
        before = {"decision": target.decision, "kind": target.kind}
        _move(job, target, kind)
        target.decision, target.decided_by_id, target.decided_at = value, decided_by_id, decided_at
        target.save(update_fields=["kind", "decision", "decided_by", "decided_at"])
        changed.append((target, before))

    if row.kind == ImportRowKind.DUPLICATE or row.decision == ImportRowDecision.KEEP:
        if decision == ImportRowDecision.KEEP:
            # The others carrying the number are skipped: one row holds it.
            for other in _same_number_rows(job, row).select_for_update():
                if other.kind == ImportRowKind.DUPLICATE or other.decision == ImportRowDecision.KEEP:
                    record(other, ImportRowKind.DUPLICATE, ImportRowDecision.SKIP)
            record(row, row.kind_if_kept, ImportRowDecision.KEEP)
        else:
            record(row, ImportRowKind.DUPLICATE, ImportRowDecision.SKIP)
    else:
        kind = ImportRowKind.CHANGED if decision == ImportRowDecision.SAME_PERSON else ImportRowKind.CONFLICT
        record(row, kind, decision)
    job.save(update_fields=[*_COUNT_FIELDS.values(), "recorded_count"])
    return changed


@transaction.atomic
def import_row_decide(*, actor: User, row: ImportRow, decision: str) -> ImportRow:
    """Record the officer's answer to a row waiting for one, logged with who and when.

    An identity conflict: SAME_PERSON makes the row an ordinary change of the matched member (applied by the
    commit, checked there against the record as previewed). DIFFERENT_PERSON and SKIP leave it unapplied: a
    different person cannot be written as a new member either, since the identifier the row carries is taken;
    the officer corrects the file (or the row, in the preview).

    An in-file duplicate: KEEP applies this row as what it would have been alone (new, changed) and skips the
    other rows carrying its number; SKIP leaves it out.

    A decision is kept when the file is previewed again and the row reads the same.
    """
    job = ImportJob.objects.select_for_update().get(pk=row.job_id)
    _require_access(actor, job)
    row = ImportRow.objects.select_for_update().get(pk=row.pk)
    if job.state != ImportState.PREVIEWED:
        raise ValidationError(_("Decisions are taken on a previewed import that has not been applied."))
    _check_decision(row, decision)
    changed = _apply_decision(job=job, row=row, decision=decision, decided_by_id=actor.pk, decided_at=timezone.now())
    for target, before in changed:
        _decision_log(actor, job, target, before)
    row.refresh_from_db()
    return row


def _decision_key(row: ImportRow) -> tuple:
    data = row.data if isinstance(row.data, dict) else json.loads(row.data)
    return (row.row_number, row.member_id, json.dumps(data, sort_keys=True))


def _decisions_of(job: ImportJob) -> dict:
    """The decisions taken on the job's rows, by what the row read: kept across a new preview."""
    return {
        _decision_key(row): (row.decision, row.decided_by_id, row.decided_at)
        for row in job.rows.exclude(decision="").only(
            "row_number", "member_id", "data", "decision", "decided_by", "decided_at"
        )
    }


def _carry_decisions(job: ImportJob, decisions: dict) -> None:
    """Take again, on the new preview's rows, the decisions taken on rows that still read the same (KEEP first:
    it skips the rows it takes the number from)."""
    if not decisions:
        return
    waiting = job.rows.filter(kind__in=[ImportRowKind.CONFLICT, ImportRowKind.DUPLICATE])
    found = [(row, decisions.get(_decision_key(row))) for row in waiting]
    found = sorted(
        ((row, taken) for row, taken in found if taken),
        key=lambda pair: pair[1][0] != ImportRowDecision.KEEP,
    )
    for row, (decision, decided_by_id, decided_at) in found:
        row.refresh_from_db()
        try:
            _check_decision(row, decision)
        except ValidationError:
            continue  # the registry changed since: the row waits again
        _apply_decision(job=job, row=row, decision=decision, decided_by_id=decided_by_id, decided_at=decided_at)


# -- 4. commit --------------------------------------------------------------------------------------------------


# What the commit reads of each row of a batch: plain values, not instances (a batch is 5,000 of them), and without
# the values and changes, read only for the rows that need them (not the new members written from stored records).
_BatchRow = collections.namedtuple(
    "_BatchRow",
    "pk row_number kind member_id partial_dates has_new_record card_number citizen_id data changes",
)


def _row_data(row, units: dict, areas: dict) -> dict:
    data = {}
    for field, value in row.data.items():
        if field == "unit":
            data["unit"] = units[value]
        elif field == "residence_area":
            data["residence_area"] = areas[value]
        else:
            data[field] = _from_json(field, value)
    return data


def _flag_partial_dates(job: ImportJob, member_id: int, fields: list[str]) -> None:
    for field in fields:
        MemberReviewFlag.objects.get_or_create(
            member_id=member_id,
            kind=MemberReviewFlagKind.PARTIAL_DATE,
            field=field,
            resolved_at=None,
            defaults={"job": job, "detail": _("Only the year was given; stored as 1 January.")},
        )


def _recorded_problems(job: ImportJob, rows: list) -> dict:
    """Row id → [[field, column, message], …] for the rows of a batch that bring problems to record (few)."""
    found = job.rows.filter(pk__gte=rows[0].pk, pk__lte=rows[-1].pk).exclude(recorded_problems=[])
    return dict(found.values_list("pk", "recorded_problems"))


def _flag_recorded_problems(job: ImportJob, problems: dict, member_ids: dict) -> None:
    """One open IMPORT_PROBLEM flag per member and field, naming what the import found (the data-quality
    worklist lists it until the field is corrected: members.services.member_update resolves it)."""
    flags = []
    for row_id, found in problems.items():
        if row_id not in member_ids:  # a row of the range not applied in this batch
            continue
        by_field = collections.defaultdict(list)
        for field, column, message in found:
            by_field[field].append(f"{column}: {message}" if column else message)
        flags += [
            MemberReviewFlag(
                member_id=member_ids[row_id],
                kind=MemberReviewFlagKind.IMPORT_PROBLEM,
                field=field,
                detail=" ".join(messages)[:255],
                job=job,
            )
            for field, messages in by_field.items()
        ]
    # A flag still open for the same field stays (the partial unique index skips the new one).
    MemberReviewFlag.objects.bulk_create(flags, ignore_conflicts=True)


def _batch_rows(to_apply, *, after_id: int, batch_size: int) -> list:
    rows = (
        to_apply.filter(pk__gt=after_id)
        .annotate(
            has_new_record=Q(new_record__isnull=False),
            card=KT("data__card_number"),
            citizen=KT("data__citizen_id"),
        )
        .order_by("pk")
        .values_list("pk", "row_number", "kind", "member_id", "partial_dates", "has_new_record", "card", "citizen")
    )
    return [_BatchRow(*values, data=None, changes=None) for values in rows[:batch_size]]


_VALUES_BY_KEY = 500


def _with_values(job: ImportJob, rows: list) -> list:
    """`rows` with their values and changes read, in one query."""
    if not rows:
        return rows
    # A few rows by key; many by the range they span (Django quotes each key of an IN list in Python).
    found_rows = (
        job.rows.filter(pk__in=[row.pk for row in rows])
        if len(rows) <= _VALUES_BY_KEY
        else job.rows.filter(pk__gte=rows[0].pk, pk__lte=rows[-1].pk)
    )
    found = {pk: (data, changes) for pk, data, changes in found_rows.values_list("pk", "data", "changes")}
    # Made anew rather than `_replace`d: a tenth of the time, for 5,000 rows a batch.
    return [_BatchRow(*row[:-2], *found[row.pk]) for row in rows]


def _no_wait() -> None:
    """A batch applied alone: its turn is now."""


def _apply_batch(*, actor: User, job: ImportJob, rows: list, reason: str, wait_turn=_no_wait) -> None:
    """Apply one batch of rows (`_BatchRow`s).

    `wait_turn` (see `_Turn`) is called before the batch locks or changes anything that another batch may too:
    members already in the registry, and the rollout figures (the members written by the database wait inside
    `members_create_from_import_rows`, after writing). A batch of new members alone is thus written beside the
    batch before it; any other waits for it first."""
    # A member created since the preview (by another import, say) is updated rather than duplicated.
    new_rows = [row for row in rows if row.kind == ImportRowKind.NEW]
    existing_keys = set()
    for field in ("card_number", "citizen_id"):
        values = {getattr(row, field) for row in new_rows} - {None}
        existing_keys.update(keys_by_value(Member, field, values).values())
    existing = list(Member.objects.filter(pk__in=existing_keys)) if existing_keys else []
    existing_by = {
        (field, getattr(member, field)): member for member in existing for field in ("card_number", "citizen_id")
    }
    changed_ids = [row.member_id for row in rows if row.kind == ImportRowKind.CHANGED]
    if changed_ids or existing:
        wait_turn()
    # Locked for the batch, and compared with what the preview saw: an edit made since is never overwritten.
    # Read as plain records, which `members_bulk_update` then changes (a batch is 5,000 members).
    current = member_services.members_locked_records(changed_ids)
    checked_on = timezone.localdate(job.previewed_at)
    # New members are written by the database from the records the preview stored: on PostgreSQL, the day of the
    # preview (on another day `members_bulk_create` checks them again).
    in_database = connection.vendor == "postgresql" and checked_on == today()
    to_write, others = [], []
    for row in rows:
        member = current.get(row.member_id) or (
            existing_by.get(("card_number", row.card_number)) or existing_by.get(("citizen_id", row.citizen_id))
            if row.kind == ImportRowKind.NEW
            else None
        )
        if member is None and in_database and row.has_new_record:
            to_write.append(row)
        else:
            others.append((row, member))
    if others:
        wait_turn()
    with_values = _with_values(job, [row for row, _member in others])
    others = [(row, member) for row, (_row, member) in zip(with_values, others, strict=True)]
    units = {
        unit.pk: unit for unit in Unit.objects.filter(pk__in={row.data.get("unit") for row, _member in others} - {None})
    }
    areas = {
        area.pk: area
        for area in AdminArea.objects.filter(
            pk__in={row.data.get("residence_area") for row, _member in others} - {None}
        )
    }
    problems = _recorded_problems(job, rows)
    member_ids = {}
    to_create, to_update = [], []
    for row, member in others:
        data = _row_data(row, units, areas)
        if row.kind == ImportRowKind.CHANGED:
            _require_unchanged_since_preview(row, member)
        if member is None:
            to_create.append((row, data))
            continue
        if row.kind == ImportRowKind.CHANGED:
            changed = {field for field, _old, _new in row.changes} | set(_kept_with_status(row))
            data = {field: value for field, value in data.items() if field in changed}
        to_update.append((row, member.pk, data))
    # Changed members are compared, written and logged per batch; a member named twice goes in a later round.
    first_round = True
    while to_update:
        seen, now, later = set(), [], []
        for item in to_update:
            (later if item[1] in seen else now).append(item)
            seen.add(item[1])
        member_services.members_bulk_update(
            actor=actor,
            changes=[(member_id, data) for _row, member_id, data in now],
            reason=reason,
            recorded_problems={
                member_id: frozenset(field for field, _column, _message in problems.get(row.pk, []))
                for row, member_id, _data in now
                if row.pk in problems
            },
            # Only the first round's: a member named twice must be read again with the first change applied.
            already_locked=current if first_round else None,
        )
        first_round = False
        for row, member_id, _data in now:
            member_ids[row.pk] = member_id
            _flag_partial_dates(job, member_id, row.partial_dates)
        to_update = later
    created = []
    if to_create:
        members = member_services.members_bulk_create(
            actor=actor,
            rows=[data for _row, data in to_create],
            reason=reason,
            checked_on=checked_on,
            recorded_problems=[
                frozenset(field for field, _column, _message in problems.get(row.pk, [])) for row, _data in to_create
            ],
        )
        created += zip((row for row, _data in to_create), (member.pk for member in members), strict=True)
    if to_write:
        written_ids = member_services.members_create_from_import_rows(
            actor=actor, row_ids=[row.pk for row in to_write], reason=reason, wait_turn=wait_turn
        )
        created += zip(to_write, written_ids, strict=True)
    for row, member_id in created:
        _flag_partial_dates(job, member_id, row.partial_dates)
        member_ids[row.pk] = member_id
    if problems:
        _flag_recorded_problems(job, problems, member_ids)


def _as_previewed(member: Member, field: str):
    """A member's value in the form the preview recorded it as the "old" side of a change."""
    if field == "unit":
        return member.unit.name
    if field == "residence_area":
        return member.residence_area_id
    return json_value(getattr(member, field))


def _kept_with_status(row) -> list[str]:
    """Fields the file gives unchanged beside a new status. The member services derive them from a new status
    unless they are given (an exempt member becomes ineligible), so the commit passes them on: the record then
    says what the file says, as the preview showed."""
    if not any(field == "status" for field, _old, _new in row.changes):
        return []
    changed = {field for field, _old, _new in row.changes}
    return [field for field in _DERIVED_FROM_STATUS if field in row.data and field not in changed]


def _require_unchanged_since_preview(row, member: Member) -> None:
    changed = [field for field, old, _new in row.changes if _as_previewed(member, field) != old]
    # A field passed on unchanged (see _kept_with_status) held the file's value at the preview.
    changed += [field for field in _kept_with_status(row) if _as_previewed(member, field) != row.data[field]]
    if changed:
        raise ValidationError(
            _("Row %(row)s: the record of %(name)s was changed after the preview. Preview the file again.")
            % {"row": row.row_number, "name": member.full_name}
        )


def _flag_missing(job: ImportJob) -> None:
    """One open MISSING_FROM_IMPORT flag per missing member (none added where one is already open)."""
    flags = connection.ops.quote_name(MemberReviewFlag._meta.db_table)
    rows = connection.ops.quote_name(ImportRow._meta.db_table)
    detail = (_("Not in the roster %(file)s") % {"file": job.original_name})[:255]
    kind = MemberReviewFlagKind.MISSING_FROM_IMPORT
    with connection.cursor() as cursor:
        cursor.execute(
            # The partial unique index (one open flag per member, kind and field) skips those already flagged.
            # (A NOT EXISTS here was planned as a scan of the flags per row when the rows were new to the planner.)
            f"INSERT INTO {flags} (member_id, kind, field, detail, job_id, created_at, resolved_at)"
            f" SELECT r.member_id, %s, '', %s, r.job_id, %s, NULL FROM {rows} r"
            f" WHERE r.job_id = %s AND r.kind = %s"
            f" ON CONFLICT (member_id, kind, field) WHERE resolved_at IS NULL DO NOTHING",
            [
                kind,
                detail,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                job.pk,
                ImportRowKind.MISSING,
            ],
        )


def _lock(job: ImportJob) -> tuple[int, int]:
    """Lock the job's row; its applied-row count and applied mark as committed (the instance in hand may be
    older)."""
    return ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("applied_rows", "applied_through").get()


def _record_lost_connection(job: ImportJob) -> None:
    """The connection dropped during the commit: the batch being written was rolled back whole. Say so on the
    job, over a new connection, so that the page offers to resume it. Best effort: if the database is still out
    of reach the job stays "committing", which can be resumed too."""
    logger.warning("Import %s lost its database connection; it resumes where it stopped.", job.pk, exc_info=True)
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
    message = _(
        "The connection to the database was lost. The rows applied before it are kept; "
        "applying again resumes where it stopped."
    )
    try:
        if ImportJob.objects.filter(pk=job.pk, state=ImportState.COMMITTING).update(
            state=ImportState.FAILED, error=message
        ):
            job.state, job.error = ImportState.FAILED, message
    except CONNECTION_ERRORS:
        logger.warning("Import %s: the database is still out of reach.", job.pk)


def import_job_require_committable(*, actor: User, job: ImportJob) -> None:
    """Raise unless `actor` may apply `job` now: previewed, or a commit that stopped half-way (to resume)."""
    _require_access(actor, job)
    resumable = job.state in (ImportState.COMMITTING, ImportState.FAILED) and job.previewed_at is not None
    if job.state != ImportState.PREVIEWED and not resumable:
        raise ValidationError(_("Preview the file before applying it."))
    undecided = job.rows.filter(kind=ImportRowKind.CONFLICT, decision="").count()
    if undecided:
        raise ValidationError(
            ngettext(
                "Decide the identity conflict first: same person, different person or skip.",
                "Decide the %(count)s identity conflicts first: same person, different person or skip.",
                undecided,
            )
            % {"count": undecided}
        )
    duplicates = job.rows.filter(kind=ImportRowKind.DUPLICATE, decision="").count()
    if duplicates:
        raise ValidationError(
            ngettext(
                "Say which row holds the number shared in the file first: keep one row, skip the other.",
                "Decide the %(count)s rows that share a number with another row first: keep one, skip the others.",
                duplicates,
            )
            % {"count": duplicates}
        )


def _to_apply(job: ImportJob):
    """The job's rows a commit applies, those already applied included (they are the ones up to its mark)."""
    return job.rows.filter(kind__in=_APPLIED_KINDS)


def _commits_side_by_side() -> bool:
    """Whether the batches are written on several connections at once: on PostgreSQL, when each batch is its own
    transaction (not inside the caller's) and more than one connection is allowed (IMPORT_COMMIT_CONNECTIONS)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block and COMMIT_CONNECTIONS > 1


class _EarlierBatchFailed(Exception):
    """The batch before this one was not committed: this one must not be either."""


class _Turn:
    """A batch's turn to change what every batch changes (the rollout figures, the job's applied mark) and to
    commit: once the batch before it has committed. Batches written at once on several connections thus commit
    in the file's order, and `applied_through` still means "every row up to here is applied".

    A batch holds no lock that the batch before it needs while it waits (`_apply_batch` waits before locking
    anything shared), so the two never wait for each other."""

    def __init__(self, before: "_Turn | None"):
        self._before = before
        self._ended = threading.Event()
        self._committed = False

    def wait(self) -> None:
        if self._before is None:
            return
        self._before._ended.wait()
        if not self._before._committed:
            raise _EarlierBatchFailed

    def end(self, *, committed: bool) -> None:
        self._committed = committed
        self._ended.set()


def _mark_applied(job: ImportJob, *, applied: int, through: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(applied_rows=applied, applied_through=through)


def _apply_in_turn(*, actor: User, job: ImportJob, rows: list, reason: str, turn: _Turn, language: str) -> None:
    """On this thread's own connection, one batch in one transaction, committed in its turn; in the caller's
    language (a thread starts in the default one), which the texts written with the members are in."""
    committed = False
    try:
        with translation.override(language), transaction.atomic():
            _apply_batch(actor=actor, job=job, rows=rows, reason=reason, wait_turn=turn.wait)
            turn.wait()
            applied, _through = _lock(job)
            _mark_applied(job, applied=applied + len(rows), through=rows[-1].pk)
        committed = True
    finally:
        turn.end(committed=committed)
        connection.close()


def _apply_side_by_side(*, actor: User, job: ImportJob, reason: str, batch_size: int, progress, total: int) -> None:
    """The batches after the job's mark, each written on its own connection while the one before is written,
    committed in order. The first to fail stops the rest: those after it are rolled back, and the mark is at the
    last one committed."""
    to_apply = _to_apply(job)
    # As committed: no other committer moves it while this one holds the job (`held_across_transactions`).
    applied, after = ImportJob.objects.filter(pk=job.pk).values_list("applied_rows", "applied_through").get()
    turn, pending, language = None, collections.deque(), translation.get_language()

    def finish_first() -> None:
        future, size, through = pending.popleft()
        future.result()
        job.applied_rows, job.applied_through = job.applied_rows + size, through
        if progress:
            progress(job.applied_rows, total)

    job.applied_rows, job.applied_through = applied, after
    with concurrent.futures.ThreadPoolExecutor(max_workers=COMMIT_CONNECTIONS) as pool:
        while rows := _batch_rows(to_apply, after_id=after, batch_size=batch_size):
            turn = _Turn(turn)
            # The change context (the import as source) goes with the batch to its thread.
            apply = functools.partial(
                _apply_in_turn, actor=actor, job=job, rows=rows, reason=reason, turn=turn, language=language
            )
            pending.append((pool.submit(contextvars.copy_context().run, apply), len(rows), rows[-1].pk))
            after = rows[-1].pk
            if len(pending) == COMMIT_CONNECTIONS:
                finish_first()
        while pending:
            finish_first()


def _apply_one_by_one(*, actor: User, job: ImportJob, reason: str, batch_size: int, progress, total: int) -> None:
    to_apply = _to_apply(job)
    while True:
        with transaction.atomic():
            # Each batch reads the rows still to apply only once it holds the job's row lock.
            applied, applied_through = _lock(job)
            rows = _batch_rows(to_apply, after_id=applied_through, batch_size=batch_size)
            if not rows:
                return
            _apply_batch(actor=actor, job=job, rows=rows, reason=reason)
            job.applied_rows, job.applied_through = applied + len(rows), rows[-1].pk
            _mark_applied(job, applied=job.applied_rows, through=job.applied_through)
        if progress:
            progress(job.applied_rows, total)


def import_job_commit(*, actor: User, job: ImportJob, progress=None, batch_size: int | None = None) -> ImportJob:
    """Apply the previewed new and changed rows; flag the missing members for review.

    Rows are applied in batches of `batch_size` (IMPORT_COMMIT_BATCH, 5,000 by default), each one
    transaction that also marks its rows applied: a file up to that size is all-or-nothing, and a larger
    one that stops half-way (a crash, a refused row) resumes where it stopped when committed again;
    rows already applied are skipped, and re-applying a row changes nothing. On PostgreSQL two batches are
    written at once on two connections (IMPORT_COMMIT_CONNECTIONS), committed in the file's order.
    On failure the job is FAILED with the reason and the failing batch, and any after it, leave nothing
    behind. A lost database connection is noted on the job the same way and then raised again, for the task
    to retry.
    """
    import_job_require_committable(actor=actor, job=job)
    batch_size = batch_size or COMMIT_BATCH
    _save_progress(job, state=ImportState.COMMITTING, committed_by=actor, error="")
    reason = import_reason(job)
    total = job.new_count + job.changed_count
    apply = _apply_side_by_side if _commits_side_by_side() else _apply_one_by_one
    try:
        # One committer at a time: a retry may overlap a resume or a redelivered task. The preview wrote the rows
        # in the file's order, so their ids follow it: a batch is the next rows after the mark, by the primary
        # key, and moves the mark to its last row in the transaction that writes its members: a resumed commit
        # starts exactly after it.
        with change_context(source=ChangeSource.IMPORT), held_across_transactions(f"members.import:{job.pk}"):
            apply(actor=actor, job=job, reason=reason, batch_size=batch_size, progress=progress, total=total)
            with transaction.atomic():
                _lock(job)
                _flag_missing(job)
                _save_progress(job, state=ImportState.COMMITTED, committed_at=timezone.now())
    except CONNECTION_ERRORS:
        _record_lost_connection(job)
        raise
    except (ValidationError, PermissionDenied, IntegrityError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if isinstance(error, IntegrityError):
            message = _("A party card number or citizen ID is now used by another member. Preview the file again.")
        logger.warning("Import %s failed: %s", job.pk, message)
        job.refresh_from_db()
        _save_progress(job, state=ImportState.FAILED, error=message)
    return job


# -- corrections in the preview ------------------------------------------------------------------------------------

# A corrected cell is at most this long (the longest field, the notes, is bounded well below it by its own check).
MAX_EDITED_CELL = 2_000


def _require_correctable(actor: User, job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _require_access(actor, job)
    if job.is_running or job.state == ImportState.COMMITTED or job.applied_rows:
        raise ValidationError(_("This import can no longer be changed."))
    return job


@transaction.atomic
def import_job_remap_column(*, actor: User, job: ImportJob, index: str, field: str) -> ImportJob:
    """Map column `index` to `field` (the field the preview offered for it). A column already holding `field`
    takes the column's old field: two swapped headers are put right in one step. The caller previews again."""
    job = _require_correctable(actor, job)
    mapping = dict(job.mapping)
    if str(index) not in mapping:
        raise ValidationError(_("This column is not mapped."))
    old = mapping[str(index)]
    for other, mapped in list(mapping.items()):
        if mapped == field and other != str(index):
            mapping[other] = old
    mapping[str(index)] = field
    job = import_job_set_mapping(actor=actor, job=job, mapping=mapping, remember=False)
    change_log(
        actor=actor,
        obj=job,
        action=ChangeAction.UPDATE,
        before={"column": str(index), "field": old},
        after={"column": str(index), "field": field},
        reason=import_reason(job),
        unit=job.unit,
    )
    return job


@transaction.atomic
def import_row_edit(*, actor: User, row: ImportRow, cells: dict[str, str]) -> ImportJob:
    """Correct cells of one row in the preview, without uploading the file again: kept on the job
    (`ImportJob.cell_edits`) and put over the file's cells each time it is read, logged. The caller previews
    again (the row's checks depend on the other rows: duplicates, the same person twice)."""
    job = _require_correctable(actor, row.job)
    row = ImportRow.objects.get(pk=row.pk, job=job)
    if not row.row_number:
        raise ValidationError(_("Only a row of the file can be corrected."))
    read = row.cells or {}
    changed = {}
    for index, text in cells.items():
        if str(index) not in job.mapping:
            continue
        text = str(text).strip()
        if len(text) > MAX_EDITED_CELL or (problem := member_services.unstorable_text_message(text)):
            raise ValidationError(problem if len(text) <= MAX_EDITED_CELL else _("This value is too long."))
        if text != read.get(str(index), ""):
            changed[str(index)] = text
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    edits = dict(job.cell_edits)
    before = dict(edits.get(str(row.row_number), {}))
    edits[str(row.row_number)] = {**before, **changed}
    job.cell_edits = edits
    job.save(update_fields=["cell_edits"])
    change_log(
        actor=actor,
        obj=job,
        action=ChangeAction.UPDATE,
        before={"row": row.row_number, "cells": before},
        after={"row": row.row_number, "cells": edits[str(row.row_number)]},
        reason=import_reason(job),
        unit=job.unit,
    )
    return job
