from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.forms import ListFileForm, PreviewCommitForm
from common.tabular import problems_by_row, rows_sign, rows_unsign, sample_workbook
from common.views import ServiceFormView, add_service_errors, refusal_messages, service_action

from . import services, unit_import
from .choices import UnitKind
from .contents import headcounts
from .divisions import divisions_load, divisions_plan, official_divisions
from .forms import (
    DivisionsLoadForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    UnitCloseForm,
    UnitCreateForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
)
from .models import Organisation, Unit
from .selectors import (
    import_rights,
    may_add_organisations,
    organisation_get,
    organisation_list,
    organisation_management_get,
    organisation_offices,
    organisation_page_rights,
    organisation_people,
    unit_children,
    unit_get,
    unit_management_get,
    unit_page_rights,
    unit_top_level,
    unit_visible_ancestors,
)
from .unit_import import UnitRow


@login_required
def unit_list(request):
    units = unit_top_level(actor=request.user)
    counts = headcounts(units)
    rows = [(unit, counts[unit.pk]) for unit in units]
    context = {
        "rows": rows,
        **import_rights(request.user),
        "can_load_divisions": services.has_area_authority(request.user),
    }
    return render(request, "orgunits/unit_list.html", context)


@login_required
def unit_detail(request, code: str):
    user = request.user
    unit = unit_get(actor=user, code=code)
    show_closed = request.GET.get("closed") == "1"
    children = list(unit_children(actor=user, unit=unit, include_closed=show_closed))
    counts = headcounts([unit, *children])
    context = {
        "unit": unit,
        "ancestors": unit_visible_ancestors(actor=user, unit=unit),
        "member_count": counts[unit.pk],
        "children": [(child, counts[child.pk]) for child in children],
        "show_closed": show_closed,
        **unit_page_rights(actor=user, unit=unit),
    }
    return render(request, "orgunits/unit_detail.html", context)


class UnitActionView(ServiceFormView):
    """A management page for the unit named in the URL: 404 outside scope, 403 without UNIT_MANAGE."""

    template_name = "orgunits/unit_form.html"
    title = ""
    submit_label = ""
    acts_on_parent = False

    def load_objects(self) -> None:
        self.unit = unit_management_get(
            actor=self.request.user, code=self.kwargs["code"], acts_on_parent=self.acts_on_parent
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict:
        return {"actor": self.request.user, "unit": self.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unit=self.unit,
            title=self.title % {"name": self.unit.name},
            submit_label=self.submit_label,
            cancel_url=reverse("orgunits:detail", args=[self.unit.code]),
            **kwargs,
        )

    def success_url_for(self, result: Unit) -> str:
        return reverse("orgunits:detail", args=[result.code])


class UnitCreateView(UnitActionView):
    form_class = UnitCreateForm
    title = _("New unit under “%(name)s”")
    submit_label = _("Create unit")
    success_message = _("“%(name)s” was created.")

    def extra_form_kwargs(self) -> dict:
        return {"actor": self.request.user, "parent": self.unit}

    def perform(self, form):
        return services.unit_create(actor=self.request.user, parent=self.unit, **form.cleaned_data)


class UnitEditView(UnitActionView):
    form_class = UnitEditForm
    title = _("Edit “%(name)s”")
    submit_label = _("Save")
    success_message = _("“%(name)s” was saved.")

    def extra_form_kwargs(self) -> dict:
        return {"actor": self.request.user}

    def get_initial(self):
        return {"name": self.unit.name, "area": self.unit.area_id}

    def perform(self, form):
        area = form.cleaned_data["area"]
        return services.unit_update(
            actor=self.request.user,
            unit=self.unit,
            name=form.cleaned_data["name"],
            area=area,
            clear_area=area is None,
            reason=form.cleaned_data["reason"],
        )


class UnitMoveView(UnitActionView):
    form_class = UnitMoveForm
    acts_on_parent = True
    title = _("Move “%(name)s”")
    submit_label = _("Move unit")
    success_message = _("“%(name)s” was moved.")

    def perform(self, form):
        return services.unit_move(
            actor=self.request.user,
            unit=self.unit,
            new_parent=form.cleaned_data["new_parent"],
            reason=form.cleaned_data["reason"],
        )


class UnitCloseView(UnitActionView):
    form_class = UnitCloseForm
    acts_on_parent = True
    title = _("Close “%(name)s”")
    submit_label = _("Close unit")
    success_message = _("“%(name)s” was closed.")

    def extra_form_kwargs(self) -> dict:
        return {}

    def perform(self, form):
        return services.unit_close(actor=self.request.user, unit=self.unit, **form.cleaned_data)


class UnitMergeView(UnitActionView):
    form_class = UnitMergeForm
    acts_on_parent = True
    title = _("Merge “%(name)s” into another unit")
    submit_label = _("Merge units")
    success_message = _("The unit was merged into “%(name)s”.")

    def perform(self, form):
        return services.unit_merge(
            actor=self.request.user,
            source=self.unit,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
        )


# A page shows at most this many of the changes it compares (the whole country is 3,355 divisions); the counts are all.
DIVISIONS_SHOWN = 200


@login_required
def divisions(request):
    """The official provinces and communes compared with the administrative tree, loaded on confirmation.
    The central level's officers only: the tree is the whole country's."""
    services.require_area_authority(request.user)
    form = DivisionsLoadForm(request.POST or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data["province"]
        options = {"committees": form.cleaned_data["committees"], "whole": not province}
        try:
            divisions = official_divisions(province=province)
            if "commit" in request.POST:
                plan = divisions_load(
                    actor=request.user, divisions=divisions, reason=form.cleaned_data["reason"], **options
                )
                messages.success(
                    request,
                    _("Loaded: %(count)s changes to the administrative tree and its committees.")
                    % {"count": plan.changes},
                )
                return redirect("orgunits:divisions")
            plan = divisions_plan(divisions, **options)
        except ValidationError as error:
            add_service_errors(form, error)
            plan = None
    return render(request, "orgunits/divisions.html", {"form": form, "plan": plan, "shown": DIVISIONS_SHOWN})


# -- A list of units from a file: upload → preview → apply → result (the roster import's steps, without a job) --

UNITS_ROWS_SALT = "orgunits.unit_import"
SESSION_UNITS_RESULT = "unit_import_result"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_unit_manager(user) -> None:
    if not import_rights(user)["can_import_units"]:
        raise PermissionDenied


def _unit_rows_shown(rows: list[UnitRow]) -> list[dict]:
    """The rows of a plan with their kind's label and, for a unit that exists, its name and area now."""
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=[row.code for row in rows])}
    return [
        {
            "row": row,
            "kind_label": UnitKind(row.kind).label,
            "name_before": existing[row.code].name if row.code in existing else "",
        }
        for row in rows
    ]


def _units_page(request, context: dict):
    kinds = [(value, label) for value, label in UnitKind.choices if value != UnitKind.CENTRAL]
    return render(request, "orgunits/unit_import.html", {"unit_kinds": kinds, **context})


def _units_preview(request, rows: list[UnitRow], *, commit_form=None):
    """The preview page for `rows`: what the file would do, or every wrong row with all its problems."""
    context = {"upload_form": ListFileForm()}
    signed = rows_sign(rows, salt=UNITS_ROWS_SALT)
    try:
        plan = unit_import.units_plan(rows, actor=request.user)
    except ValidationError as error:
        context["problems"] = problems_by_row(error)
    else:
        context.update(
            create=_unit_rows_shown(plan.create),
            change=_unit_rows_shown(plan.change),
            unchanged=plan.unchanged,
            commit_form=commit_form or PreviewCommitForm(initial={"rows": signed}),
        )
    return _units_page(request, context)


@login_required
def unit_import_page(request):
    """Upload a list of units; the answer is its preview, nothing written (a GET shows the upload form)."""
    _require_unit_manager(request.user)
    form = ListFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            rows = unit_import.read_unit_rows(uploaded.name, uploaded.read())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _units_preview(request, rows)
    return _units_page(request, {"upload_form": form})


@login_required
@require_POST
def unit_import_commit(request):
    """Apply a preview. The file is not kept on the server: the preview's form carries its rows, signed (so the
    rows applied are those the officer saw, and the page cannot slip others in) and checked again here, in the
    services' transaction, as the officer may (their scope may have changed since)."""
    _require_unit_manager(request.user)
    form = PreviewCommitForm(request.POST)
    try:
        rows = rows_unsign(request.POST.get("rows", ""), salt=UNITS_ROWS_SALT, row_class=UnitRow)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _units_page(request, {"upload_form": ListFileForm()})
    if not form.is_valid():
        return _units_preview(request, rows, commit_form=form)
    try:
        plan = unit_import.units_import(actor=request.user, rows=rows, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        refusal_messages(request, error, _("Nothing was imported: correct the rows named below."))
        return _units_preview(request, rows)
    except PermissionDenied as error:  # the scope changed since the preview; the services refuse the unit
        messages.error(request, str(error) or _("You do not have permission for this unit."))
        return _units_preview(request, rows)
    request.session[SESSION_UNITS_RESULT] = {
        "created": [[row.code, row.name, row.parent] for row in plan.create],
        "changed": [[row.code, row.name] for row in plan.change],
        "unchanged": len(plan.unchanged),
    }
    messages.success(request, _("The units were imported."))
    return redirect("orgunits:import_result")


@login_required
def unit_import_result(request):
    """What the officer's last import did (kept in their session)."""
    _require_unit_manager(request.user)
    return render(request, "orgunits/unit_import_result.html", {"result": request.session.get(SESSION_UNITS_RESULT)})


@login_required
def unit_import_sample(request):
    """A sample list (XLSX) with the headings the import recognises and two invented units."""
    content = sample_workbook(
        ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên", "Mã địa bàn"],
        [
            ["MA-DANG-BO-XA-GR1", "Đảng bộ Trường học", str(UnitKind.GRASSROOTS_COMMITTEE.label), "MA-DANG-BO-XA", ""],
            ["MA-DANG-BO-XA-GR1-C1", "Chi bộ giáo viên", str(UnitKind.ATTACHED_CELL.label), "MA-DANG-BO-XA-GR1", ""],
        ],
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-to-chuc.xlsx"'
    return response


# Organisations: People's Committees, their offices, agencies, schools, enterprises


ORGANISATIONS_PAGE_SIZE = 50


@login_required
def organisation_list_page(request):
    query = request.GET.get("q", "")
    organisations = organisation_list(actor=request.user, query=query, include_closed=request.GET.get("closed") == "1")
    context = {
        "page": Paginator(organisations, ORGANISATIONS_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "can_add": may_add_organisations(request.user),
    }
    return render(request, "orgunits/organisation_list.html", context)


@login_required
def organisation_detail(request, code: str):
    organisation = organisation_get(actor=request.user, code=code)
    context = {
        "organisation": organisation,
        "offices": organisation_offices(actor=request.user, organisation=organisation),
        "people": organisation_people(organisation),
        "close_form": UnitCloseForm(),
        **organisation_page_rights(actor=request.user, organisation=organisation),
    }
    return render(request, "orgunits/organisation_detail.html", context)


class OrganisationCreateView(ServiceFormView):
    form_class = OrganisationCreateForm
    template_name = "orgunits/organisation_form.html"
    success_message = _("“%(name)s” was created.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New organisation"),
            submit_label=_("Create"),
            cancel_url=reverse("orgunits:organisations"),
            **kwargs,
        )

    def perform(self, form):
        return services.organisation_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, result: Organisation) -> str:
        return reverse("orgunits:organisation", args=[result.code])


class OrganisationEditView(OrganisationCreateView):
    form_class = OrganisationEditForm
    success_message = _("“%(name)s” was saved.")

    def load_objects(self) -> None:
        self.organisation = organisation_management_get(actor=self.request.user, code=self.kwargs["code"])

    def get_initial(self):
        return {"name": self.organisation.name, "party_unit": self.organisation.party_unit}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit “%(name)s”") % {"name": self.organisation.name}
        context["submit_label"] = _("Save")
        context["cancel_url"] = reverse("orgunits:organisation", args=[self.organisation.code])
        return context

    def perform(self, form):
        return services.organisation_update(
            actor=self.request.user, organisation=self.organisation, **form.cleaned_data
        )


@login_required
@require_POST
def organisation_close(request, code: str):
    organisation = organisation_management_get(actor=request.user, code=code)
    form = UnitCloseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("orgunits:organisation", code=organisation.code)
    return service_action(
        request,
        lambda: services.organisation_close(actor=request.user, organisation=organisation, **form.cleaned_data),
        success=_("“%(name)s” was closed.") % {"name": organisation.name},
        to="orgunits:organisation",
        code=organisation.code,
    )
