from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.views import ServiceFormView, add_service_errors

from . import services
from .contents import headcounts
from .divisions import divisions_load, divisions_plan, official_divisions
from .forms import DivisionsLoadForm, UnitCloseForm, UnitCreateForm, UnitEditForm, UnitMergeForm, UnitMoveForm
from .models import Unit
from .selectors import (
    unit_children,
    unit_get,
    unit_management_get,
    unit_page_rights,
    unit_top_level,
    unit_visible_ancestors,
)


@login_required
def unit_list(request):
    units = unit_top_level(actor=request.user)
    counts = headcounts(units)
    rows = [(unit, counts[unit.pk]) for unit in units]
    context = {"rows": rows, "can_load_divisions": services.has_area_authority(request.user)}
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
