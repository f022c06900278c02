"""The officers' page: accounts and roles from a file (upload → preview → apply → result and slips), or one
officer typed in. The steps and their look are those of the roster import (members/importing/views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import ListFileForm, PreviewCommitForm
from common.tabular import problems_by_row, rows_sign, rows_unsign, sample_workbook
from common.views import add_service_errors, refusal_messages, service_action

from .. import selectors
from ..choices import Permission, RoleKind
from ..forms import CivicRoleForm, OfficerCreateForm
from ..scoping import granted_unit_paths
from ..slips import qr_for_slip, slip_addresses
from . import civic
from .services import OfficerRow, officers_import, officers_plan, read_officer_rows

OFFICERS_ROWS_SALT = "accounts.officers"
# The new accounts' first-sign-in codes live only in the importer's session (the database keeps their hashes):
# the result and slips pages read them from there, so no one else ever sees them.
SESSION_OFFICERS_RESULT = "officer_import_result"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_role_manager(user) -> None:
    if not granted_unit_paths(user, Permission.ROLE_MANAGE):
        raise PermissionDenied


def _page(request, context: dict, *, status: int = 200):
    context = {
        "upload_form": ListFileForm(),
        "create_form": OfficerCreateForm(),
        "roles": [label for value, label in RoleKind.choices if value != RoleKind.MEMBER],
        **context,
    }
    return render(request, "accounts/officers_import.html", context, status=status)


def _preview(request, rows: list[OfficerRow], *, commit_form=None):
    """What the file would do, or every wrong row with all its problems; writes nothing."""
    signed = rows_sign(rows, salt=OFFICERS_ROWS_SALT)
    try:
        plan = officers_plan(rows, actor=request.user)
    except ValidationError as error:
        return _page(request, {"problems": problems_by_row(error)})
    return _page(
        request,
        {
            "plan": plan,
            "commit_form": commit_form or PreviewCommitForm(initial={"rows": signed}),
        },
    )


def _applied(request, rows: list[OfficerRow], reason: str):
    """Apply `rows` as the officer may; the result (with the codes) kept in their session for the next pages."""
    result = officers_import(actor=request.user, rows=rows, reason=reason)
    request.session[SESSION_OFFICERS_RESULT] = {
        "accounts": [
            {
                "name": officer.full_name,
                "username": officer.username,
                "code": officer.code,
                "expires_on": officer.expires_at.date().strftime("%d/%m/%Y"),
            }
            for officer in result.accounts_created
        ],
        "roles_granted": result.roles_granted,
        "roles_held": result.roles_held,
    }
    return redirect("accounts:officers_import_result")


@login_required
def officers_import_page(request):
    """Upload a list of officers; the answer is its preview, nothing written (a GET shows both forms)."""
    _require_role_manager(request.user)
    form = ListFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            rows = read_officer_rows(uploaded.name, uploaded.read())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _preview(request, rows)
    return _page(request, {"upload_form": form})


@login_required
@require_POST
def officers_import_commit(request):
    """Apply a preview. The file is not kept on the server: the preview's form carries its rows, signed (so the
    rows applied are those the officer saw) and checked again here, in the services' transaction."""
    _require_role_manager(request.user)
    form = PreviewCommitForm(request.POST)
    try:
        rows = rows_unsign(request.POST.get("rows", ""), salt=OFFICERS_ROWS_SALT, row_class=OfficerRow)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, {})
    if not form.is_valid():
        return _preview(request, rows, commit_form=form)
    try:
        return _applied(request, rows, form.cleaned_data["reason"])
    except ValidationError as error:
        refusal_messages(request, error, _("Nothing was imported: correct the rows named below."))
    except PermissionDenied as error:  # the scope changed since the preview; the services refuse the unit
        messages.error(request, str(error) or _("You do not have permission for this unit."))
    return _preview(request, rows)


@login_required
@require_POST
def officer_create(request):
    """One officer account and one role, typed in: a file of one row, through the same service."""
    _require_role_manager(request.user)
    form = OfficerCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        row = OfficerRow(
            number=1,
            username=data["username"],
            full_name=data["full_name"],
            phone=data["phone"],
            unit=data["unit"],
            role=data["role"],
        )
        try:
            return _applied(request, [row], data["reason"])
        except ValidationError as error:
            for _number, found in problems_by_row(error):
                form.add_error(None, found)
        except PermissionDenied as error:
            form.add_error("unit", str(error) or _("You do not have permission for this unit."))
    return _page(request, {"create_form": form})


@login_required
def officers_import_result(request):
    """What the officer's last import did: the new accounts with their first-sign-in codes, only to them."""
    _require_role_manager(request.user)
    return render(
        request, "accounts/officers_import_result.html", {"result": request.session.get(SESSION_OFFICERS_RESULT)}
    )


@login_required
def officers_slips(request):
    """The new accounts' activation slips on A4, from the importer's session (the same slips as a cell's)."""
    _require_role_manager(request.user)
    result = request.session.get(SESSION_OFFICERS_RESULT) or {}
    slips = [{**slip, "qr": qr_for_slip(request, slip)} for slip in result.get("accounts", [])]
    return render(
        request,
        "accounts/officers_slips.html",
        {"slips": slips, **slip_addresses(host=request.get_host())},
    )


@login_required
def officers_sample(request):
    """A sample list (XLSX) with the headings the import recognises and two invented officers."""
    content = sample_workbook(
        ["Tên đăng nhập", "Họ và tên", "Số điện thoại", "Mã tổ chức", "Vai trò"],
        [
            ["nguyen.van.mau", "Nguyễn Văn Mẫu", "0912345678", "MA-DANG-BO-XA", str(RoleKind.COMMITTEE_OFFICER.label)],
            ["tran.thi.mau", "Trần Thị Mẫu", "", "MA-CHI-BO", str(RoleKind.CELL_SECRETARY.label)],
        ],
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-can-bo.xlsx"'
    return response


# Roles outside the party tree


CIVIC_ROLES_PAGE_SIZE = 50


# A new account's first-sign-in code, kept in the granter's session until the page shows it once.
SESSION_CIVIC_GRANTED = "civic_role_granted"


def _civic_page(request, form):
    roles = selectors.civic_roles_visible_to(request.user)
    context = {
        "form": form,
        "page": Paginator(roles, CIVIC_ROLES_PAGE_SIZE).get_page(request.GET.get("page")),
        "suggestions": selectors.place_suggestions(request.user),
        "new_account": request.session.pop(SESSION_CIVIC_GRANTED, None) if request.method == "GET" else None,
    }
    return render(request, "accounts/civic_roles.html", context)


@login_required
def civic_roles(request):
    """The civic roles on the places the user grants roles for, and the form to give one."""
    _require_role_manager(request.user)
    form = CivicRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = selectors.place_named(request.user, data["place"])
        if place is None:
            form.add_error(
                "place", _("No village, residential group or organisation you grant roles for has this code.")
            )
        else:
            try:
                granted = civic.civic_role_grant(
                    actor=request.user,
                    kind=data["kind"],
                    place=place,
                    username=data["username"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Role given: %(role)s.") % {"role": granted.role})
                if granted.code:
                    request.session[SESSION_CIVIC_GRANTED] = {
                        "username": granted.role.user.username,
                        "code": granted.code,
                        "valid_until": granted.code_expires_at.isoformat(),
                    }
                return redirect("accounts:civic_roles")
    return _civic_page(request, form)


@login_required
@require_POST
def civic_role_revoke(request, pk: int):
    _require_role_manager(request.user)
    role = get_object_or_404(selectors.civic_roles_visible_to(request.user), pk=pk)
    return service_action(
        request,
        lambda: civic.civic_role_revoke(actor=request.user, role=role, reason=request.POST.get("reason", "")),
        success=_("The role has ended."),
        to="accounts:civic_roles",
    )
