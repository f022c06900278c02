"""The roster import pages: upload → column mapping → preview → commit, with a progress bar while it runs."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths
from common.views import add_service_errors
from orgunits.models import Unit

from ..choices import ImportRowDecision, ImportRowKind, ImportState
from ..tasks import import_commit_task, import_preview_task
from . import columns, selectors, services
from .forms import ImportMappingForm, ImportUploadForm
from .headers import field_label
from .sample import sample_roster

ROWS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(user) -> None:
    if not granted_unit_paths(user, Permission.MEMBER_CHANGE):
        raise PermissionDenied


def _default_unit_code(user, request) -> str:
    if request.GET.get("unit"):
        return request.GET["unit"]
    paths = granted_unit_paths(user, Permission.MEMBER_CHANGE)
    unit = Unit.objects.filter(path=paths[0]).only("code").first() if len(paths) == 1 else None
    return unit.code if unit else ""


@login_required
def import_sample(request):
    """A sample roster (XLSX) with every column the import recognises, and one invented member."""
    response = HttpResponse(sample_roster(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-vien.xlsx"'
    return response


@login_required
def import_start(request):
    """Upload a roster file, and see the imports of one's units."""
    _require_importer(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, actor=request.user)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    uploaded_file=form.cleaned_data["file"],
                    encoding=form.cleaned_data["encoding"],
                    sheet_name=form.cleaned_data["sheet_name"].strip(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("members:import_detail", pk=job.pk)
    else:
        form = ImportUploadForm(actor=request.user, initial={"unit": _default_unit_code(request.user, request)})
    jobs = selectors.import_job_list(actor=request.user)[:20]
    return render(request, "members/import_start.html", {"form": form, "jobs": jobs})


def _shown(value) -> str:
    """A stored value as the page shows it: ISO dates as dd/mm/yyyy."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "" if value is None else str(value)


def _first_tab(job) -> str:
    if job.conflict_count:  # identity first
        return ImportRowKind.CONFLICT
    if job.duplicate_count:
        return ImportRowKind.DUPLICATE
    return ImportRowKind.ERROR if job.error_count else ImportRowKind.CHANGED


def _side_by_side(job, rows) -> None:
    """Each in-file duplicate with the rows it shares a number with, their values in two columns."""
    others = {error["other_row"] for row in rows for error in row.errors if error.get("other_row")}
    by_number = {other.row_number: other for other in job.rows.filter(row_number__in=others)} if others else {}
    for row in rows:
        row.partners = []
        for number in sorted({error["other_row"] for error in row.errors if error.get("other_row")}):
            other = by_number.get(number)
            other_data = other.data if other is not None else {}
            fields = [field for field in row.data if field not in ("unit", "residence_area")]
            fields += [field for field in other_data if field not in fields and field not in ("unit", "residence_area")]
            row.partners.append(
                {
                    "row_number": number,
                    "lines": [
                        (field_label(field), _shown(row.data.get(field)), _shown(other_data.get(field)))
                        for field in fields
                    ],
                }
            )


def _correctable_cells(job, row) -> list[tuple[str, str, str]]:
    """(column index, column label, text) of each mapped column, for the row's correction form."""
    if row.cells is None or not row.row_number:
        return []
    return [
        (index, services.column_label(job, int(index)), row.cells.get(index, ""))
        for index in sorted(job.mapping, key=int)
    ]


def _rows_page(request, job):
    kind = request.GET.get("kind") or _first_tab(job)
    rows = selectors.import_job_rows(job=job, kind=kind)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row.change_lines = [(field_label(field), _shown(old), _shown(new)) for field, old, new in row.changes]
        row.blocking = [error for error in row.errors if not error.get("warning")]
        row.warnings = [error for error in row.errors if error.get("warning")]
        row.correctable = _correctable_cells(job, row) if job.state == ImportState.PREVIEWED else []
    _side_by_side(job, page.object_list)
    return kind, page


@login_required
def import_detail(request, pk: int):
    """One import: the mapping step, the progress bar, the preview, or the outcome."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    context = {"job": job, "tabs": _tabs(job)}
    remap = (
        request.GET.get("remap") and job.state in (ImportState.PREVIEWED, ImportState.FAILED) and not job.applied_rows
    )
    if job.state == ImportState.MAPPING or remap:
        context["form"] = ImportMappingForm(job=job)
    elif job.state in (ImportState.PREVIEWED, ImportState.COMMITTED) or job.previewed_at:
        context["kind"], context["page"] = _rows_page(request, job)
        context["decisions"] = [
            (value, label) for value, label in ImportRowDecision.choices if value != ImportRowDecision.KEEP
        ]
        context["duplicate_decisions"] = [
            (value, label)
            for value, label in ImportRowDecision.choices
            if value in (ImportRowDecision.KEEP, ImportRowDecision.SKIP)
        ]
        context["column_warnings"] = [
            {**warning, "text": columns.warning_text(warning), "suggested_label": field_label(warning["suggested"])}
            for warning in job.column_warnings
        ]
    return render(request, "members/import_detail.html", context)


def _tabs(job) -> list[tuple[str, str, int]]:
    return [
        (ImportRowKind.CONFLICT, _("Identity conflicts"), job.conflict_count),
        (ImportRowKind.DUPLICATE, _("Duplicates in the file"), job.duplicate_count),
        (ImportRowKind.ERROR, _("Errors"), job.error_count),
        (ImportRowKind.CHANGED, _("Changed"), job.changed_count),
        (ImportRowKind.NEW, _("New"), job.new_count),
        (ImportRowKind.MISSING, _("Missing from the file"), job.missing_count),
    ]


@login_required
@require_POST
def import_mapping(request, pk: int):
    """Save the column mapping, then check every row (in the background for a large file)."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    form = ImportMappingForm(request.POST, job=job)
    if form.is_valid():
        try:
            services.import_job_set_mapping(
                actor=request.user, job=job, mapping=form.mapping(), remember=form.cleaned_data["remember"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            import_preview_task.delay(job.pk, request.user.pk)
            return redirect("members:import_detail", pk=job.pk)
    return render(request, "members/import_detail.html", {"job": job, "form": form, "tabs": _tabs(job)})


@login_required
@require_POST
def import_commit(request, pk: int):
    """Apply the previewed rows (or resume an interrupted commit)."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    try:
        services.import_job_require_committable(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:import_detail", pk=job.pk)
    import_commit_task.delay(job.pk, request.user.pk)
    job.refresh_from_db()
    if job.state == ImportState.COMMITTED:
        messages.success(request, _("The import was applied."))
    return redirect("members:import_detail", pk=job.pk)


@login_required
@require_POST
def import_row_decide(request, pk: int, row_pk: int):
    """The officer's answer to one identity conflict: same person, different person or skip."""
    row = selectors.import_row_get(actor=request.user, job_pk=pk, row_pk=row_pk)
    try:
        services.import_row_decide(actor=request.user, row=row, decision=request.POST.get("decision", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('members:import_detail', args=[pk])}?kind={request.POST.get('kind') or row.kind}")


@login_required
@require_POST
def import_row_edit(request, pk: int, row_pk: int):
    """Correct a row's cells in the preview, then check the file again (with the corrections)."""
    row = selectors.import_row_get(actor=request.user, job_pk=pk, row_pk=row_pk)
    cells = {key.removeprefix("cell-"): value for key, value in request.POST.items() if key.startswith("cell-")}
    try:
        job = services.import_row_edit(actor=request.user, row=row, cells=cells)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('members:import_detail', args=[pk])}?kind={row.kind}")
    import_preview_task.delay(job.pk, request.user.pk)
    messages.success(request, _("Row %(row)s was corrected; the file is checked again.") % {"row": row.row_number})
    return redirect("members:import_detail", pk=pk)


@login_required
@require_POST
def import_remap_column(request, pk: int):
    """Map a column to the field its values fit (offered at the top of the preview), then check the rows again."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    try:
        job = services.import_job_remap_column(
            actor=request.user, job=job, index=request.POST.get("column", ""), field=request.POST.get("field", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:import_detail", pk=pk)
    import_preview_task.delay(job.pk, request.user.pk)
    return redirect("members:import_detail", pk=pk)


@login_required
def import_progress(request, pk: int):
    """The progress bar (htmx polls it); once the job is done the whole page reloads."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    if not job.is_running and request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("members:import_detail", args=[job.pk])
        return response
    return render(request, "members/import_progress.html", {"job": job})
