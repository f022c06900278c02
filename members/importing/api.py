"""Roster imports over the API: the same steps and services as the pages (upload, mapping, preview, commit).

A client uploads the file, reads the columns and the mapping recognised from the headers, confirms or changes
it (which starts the check of every row), polls the job, reads the problems and the changes page by page, and
applies it. Large files run in the background: the job's state and counters say how far it got.
"""

import datetime

from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, page_of
from orgunits.api import unit_from_code

from ..choices import ImportRowDecision, ImportRowKind
from ..tasks import import_commit_task, import_preview_task
from . import selectors, services
from .headers import field_choices
from .models import ImportJob

router = Router(tags=["imports"])


class ImportJobOut(Schema):
    id: int
    unit_code: str
    file_name: str
    state: str
    error: str
    headers: list[str] = Field(description="The file's column headings, in order")
    mapping: dict[str, str] = Field(description="Column index (as text) → field; recognised from the headings")
    total_rows: int | None
    processed_rows: int
    applied_rows: int
    new_count: int
    changed_count: int
    unchanged_count: int
    error_count: int
    missing_count: int
    conflict_count: int = Field(description="Rows that may name another person: the commit waits for their decision")
    duplicate_count: int = Field(
        description="Rows sharing a card number or citizen ID with another row: the commit waits for their decision"
    )
    recorded_count: int = Field(
        description="New and changed rows applied with problems recorded on the member (listed for data quality)"
    )
    column_warnings: list[dict] = Field(
        description="Columns whose values mostly fail their field and fit another: index, field, suggested"
    )
    created_at: datetime.datetime
    previewed_at: datetime.datetime | None
    committed_at: datetime.datetime | None

    @staticmethod
    def resolve_unit_code(job: ImportJob) -> str:
        return job.unit.code

    @staticmethod
    def resolve_file_name(job: ImportJob) -> str:
        return job.original_name


class ImportFieldOut(Schema):
    field: str
    label: str


class MappingIn(Schema):
    mapping: dict[str, str] = Field(description="Column index (as text) → field, as in `GET /api/imports/fields`")
    remember: bool = Field(True, description="Offer the same mapping next time for files with these headings")


class ProblemOut(Schema):
    column: str
    message: str
    warning: bool = Field(False, description="Only to check: does not keep the row out")
    duplicate: bool = Field(False, description="The number is also on row `other_row`: keep one row, skip the other")
    other_row: int | None = None


class RecordedProblemOut(Schema):
    field: str
    column: str
    message: str


class ChangeOut(Schema):
    field: str
    old: str | int | float | bool | None
    new: str | int | float | bool | None


class ImportRowOut(Schema):
    id: int
    row_number: int
    kind: str
    member_id: int | None
    full_name: str
    problems: list[ProblemOut]
    recorded_problems: list[RecordedProblemOut] = Field(
        description="Rules the row's values break, recorded on the member when applied (they do not keep it out)"
    )
    changes: list[ChangeOut]
    decision: str = Field(description="The answer to an identity conflict or an in-file duplicate (empty: none yet)")
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_problems(row) -> list[dict]:
        return row.errors

    @staticmethod
    def resolve_recorded_problems(row) -> list[dict]:
        return [
            {"field": field, "column": column, "message": message} for field, column, message in row.recorded_problems
        ]

    @staticmethod
    def resolve_changes(row) -> list[dict]:
        return [{"field": field, "old": old, "new": new} for field, old, new in row.changes]


class ImportRowPage(Schema):
    count: int
    items: list[ImportRowOut]


class ImportDecisionIn(Schema):
    decision: ImportRowDecision


class RowFilter(Schema):
    kind: ImportRowKind | None = Field(None, description="Only rows of this kind (error, new, changed, ...)")


@router.get("/fields", response={200: list[ImportFieldOut], **READ_ERRORS}, summary="The fields a column can hold")
def import_fields(request):
    return [{"field": field, "label": str(label)} for field, label in field_choices()]


@router.post("", response={201: ImportJobOut, **WRITE_ERRORS}, summary="Upload a roster file (XLSX or CSV)")
def import_create(
    request,
    file: File[UploadedFile],
    unit_code: Form[TextIn],
    # Not Form[TextIn] = "": ninja would take TextIn's Field, which has no default, and require them.
    encoding: str = Form("", max_length=32),
    sheet_name: str = Form("", max_length=100),
):
    """The file is read to find its header row and headings; nothing is checked or applied yet. `encoding` is
    for old CSV files (e.g. `cp1258`, `tcvn3`): empty means detect it."""
    unit = unit_from_code(request.auth, unit_code, field="unit_code")
    job = services.import_job_create(
        actor=request.auth, unit=unit, uploaded_file=file, encoding=encoding, sheet_name=sheet_name.strip()
    )
    return Status(201, job)


@router.get("/{int:job_id}", response={200: ImportJobOut, **READ_ERRORS}, summary="An import's state and counts")
def import_read(request, job_id: Int64):
    return selectors.import_job_get(actor=request.auth, pk=job_id)


@router.post(
    "/{int:job_id}/mapping", response={202: ImportJobOut, **WRITE_ERRORS}, summary="Set the columns and check the rows"
)
def import_mapping(request, job_id: Int64, payload: MappingIn):
    """Starts the check of every row (in the background for a large file): poll the job until `previewed`."""
    job = selectors.import_job_get(actor=request.auth, pk=job_id)
    services.import_job_set_mapping(actor=request.auth, job=job, mapping=payload.mapping, remember=payload.remember)
    import_preview_task.delay(job.pk, request.auth.pk)
    return Status(202, selectors.import_job_get(actor=request.auth, pk=job_id))


@router.get(
    "/{int:job_id}/rows", response={200: ImportRowPage, **LIST_ERRORS, 404: READ_ERRORS[404]}, summary="Checked rows"
)
def import_rows(request, job_id: Int64, filters: Query[RowFilter], page: Query[PageIn]):
    """Each row's problems (column and message) and changes (old → new), by row number."""
    job = selectors.import_job_get(actor=request.auth, pk=job_id)
    count, items = page_of(selectors.import_job_rows(job=job, kind=filters.kind or ""), page)
    return {"count": count, "items": items}


@router.post(
    "/{int:job_id}/rows/{int:row_id}/decision",
    response={200: ImportRowOut, **WRITE_ERRORS},
    summary="Decide an identity conflict or an in-file duplicate",
)
def import_row_decide(request, job_id: Int64, row_id: Int64, payload: ImportDecisionIn):
    """An identity conflict: `same_person` applies the row as a change of the matched member at the commit;
    `different_person` and `skip` leave it unapplied. An in-file duplicate: `keep` applies this row and skips the
    others carrying its number; `skip` leaves it out. The decision is logged, can be changed until the commit,
    and is kept when the file is previewed again."""
    row = selectors.import_row_get(actor=request.auth, job_pk=job_id, row_pk=row_id)
    return services.import_row_decide(actor=request.auth, row=row, decision=payload.decision)


@router.post("/{int:job_id}/commit", response={202: ImportJobOut, **WRITE_ERRORS}, summary="Apply the checked rows")
def import_commit(request, job_id: Int64):
    """Applies every valid row (or resumes an interrupted commit); poll the job until `committed`."""
    job = selectors.import_job_get(actor=request.auth, pk=job_id)
    services.import_job_require_committable(actor=request.auth, job=job)
    import_commit_task.delay(job.pk, request.auth.pk)
    return Status(202, selectors.import_job_get(actor=request.auth, pk=job_id))
