"""Downloads of the XLSX exports: parse the request, call the export, send the file."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths
from orgunits.selectors import unit_get
from sotay.routers import heavy_read_view

from . import exporting
from .filters import MemberFilter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(export: exporting.ExportFile) -> FileResponse:
    response = FileResponse(export.file, as_attachment=True, filename=export.filename, content_type=XLSX)
    response["X-Export-Rows"] = str(export.rows)
    return response


@login_required
@heavy_read_view
def member_list_export(request):
    """The member list with the same search and filters as the page (`?q=&status=&unit=&eligible=`)."""
    if not granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        raise PermissionDenied
    filters = MemberFilter(request.GET)
    return _download(exporting.members_export_list(actor=request.user, **filters.selector_arguments(request.user)))


@login_required
@heavy_read_view
def cell_list_export(request, code: str):
    unit = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    return _download(exporting.members_export_cell_list(actor=request.user, unit=unit))


@login_required
@heavy_read_view
def registry_export(request, code: str):
    unit = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    return _download(exporting.members_export_registry(actor=request.user, unit=unit))
