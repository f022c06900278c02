"""Downloads of the XLSX exports: parse the request, ask what the file is for, call the export, send the file."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import render

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths
from common.routers import heavy_read_view
from common.views import add_service_errors
from orgunits.selectors import unit_get

from ..choices import ExportKind
from ..filters import MemberFilter
from ..forms import ExportPurposeForm
from . import workbooks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_or_ask(request, title: str, export):
    """Send the file `export(purpose)` makes once the request states a purpose; until then (or when the purpose
    is refused) the page asking for it, which sends the same address again with the purpose added."""
    form = ExportPurposeForm(request.GET if "purpose" in request.GET else None)
    if form.is_valid():
        try:
            result = export(form.cleaned_data["purpose"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = FileResponse(result.file, as_attachment=True, filename=result.filename, content_type=XLSX)
            response["X-Export-Rows"] = str(result.rows)
            return response
    kept = [(name, value) for name, value in request.GET.items() if name != "purpose"]
    context = {"form": form, "title": title, "kept": kept}
    return render(request, "members/export_purpose.html", context, status=400 if form.is_bound else 200)


@login_required
@heavy_read_view
def member_list_export(request):
    """The member list with the same search and filters as the page (`?q=&status=&unit=&eligible=`)."""
    if not granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        raise PermissionDenied
    arguments = MemberFilter(request.GET).selector_arguments(request.user)
    return _export_or_ask(
        request,
        ExportKind.MEMBER_LIST.label,
        lambda purpose: workbooks.members_export_list(actor=request.user, purpose=purpose, **arguments),
    )


@login_required
@heavy_read_view
def cell_list_export(request, code: str):
    unit = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    return _export_or_ask(
        request,
        f"{ExportKind.CELL_LIST.label} · {unit.name}",
        lambda purpose: workbooks.members_export_cell_list(actor=request.user, unit=unit, purpose=purpose),
    )


@login_required
@heavy_read_view
def registry_export(request, code: str):
    unit = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    return _export_or_ask(
        request,
        f"{ExportKind.REGISTRY.label} · {unit.name}",
        lambda purpose: workbooks.members_export_registry(actor=request.user, unit=unit, purpose=purpose),
    )
