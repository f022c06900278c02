from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from accounts.choices import Permission
from accounts.scoping import granted_unit_paths, has_unit_permission, outermost_unit_code, require_unit_permission
from audit.services import snapshot
from common.pagination import capped_page
from common.views import ServiceFormView
from orgunits.selectors import unit_get

from . import selectors, services
from .display import history_entries, history_snapshots, record_sections, related_names
from .filters import MemberFilter
from .forms import AsOfForm, MemberEditForm, MemberForm


def _is_htmx_partial(request) -> bool:
    # A history restore wants the whole page, although htmx sends it too.
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


@login_required
def member_list(request):
    # Only roles that read records list them: a supporter reaches the members of their team's worklist instead.
    if not granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        raise PermissionDenied
    filters = MemberFilter(request.GET)
    arguments = filters.selector_arguments(request.user)
    members = selectors.member_list(actor=request.user, **arguments)
    # Counted only up to a cap, searched or not: a province or the country would be counted whole on every page.
    paging = selectors.member_list_paging(actor=request.user, search=arguments["search"], unit=arguments["unit"])
    page = capped_page(members, request.GET.get("page"), settings.MEMBER_LIST_PAGE_SIZE, **paging)
    context = {
        "filters": filters,
        "page": page,
        "can_add_members": bool(granted_unit_paths(request.user, Permission.MEMBER_CHANGE)),
    }
    template = "members/_results.html" if _is_htmx_partial(request) else "members/member_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def member_detail(request, pk: int):
    member = selectors.member_get(actor=request.user, pk=pk)
    services.record_access_log(actor=request.user, member=member)
    history = selectors.member_history(member=member)
    current = snapshot(member)

    as_of_form = AsOfForm(request.GET) if "as_of" in request.GET else AsOfForm()
    as_of_values = None
    if as_of_form.is_bound and as_of_form.is_valid():
        as_of_values = selectors.member_as_of(member=member, day=as_of_form.cleaned_data["as_of"])

    names = related_names([current, as_of_values, *history_snapshots(history)])
    context = {
        "member": member,
        "sections": record_sections(current, names),
        "history": history_entries(history, names),
        "as_of_form": as_of_form,
        "as_of_sections": record_sections(as_of_values, names) if as_of_values else None,
        "can_change": has_unit_permission(request.user, Permission.MEMBER_CHANGE, member.unit),
    }
    return render(request, "members/member_detail.html", context)


class MemberCreateView(ServiceFormView):
    form_class = MemberForm
    template_name = "members/member_form.html"
    success_message = _("The record of %(name)s was created.")

    def load_objects(self) -> None:
        if not granted_unit_paths(self.request.user, Permission.MEMBER_CHANGE):
            raise PermissionDenied
        code = self.request.GET.get("unit")
        self.unit = unit_get(actor=self.request.user, code=code, permission=Permission.MEMBER_CHANGE) if code else None

    def get_initial(self):
        return {"unit": self.unit} if self.unit else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New member"), submit_label=_("Create record"), **kwargs)

    def perform(self, form):
        return services.member_create(
            actor=self.request.user, data=form.record_data(), reason=form.cleaned_data["reason"]
        )

    def success_url_for(self, result) -> str:
        return reverse("members:detail", args=[result.pk])


class MemberEditView(ServiceFormView):
    form_class = MemberEditForm
    template_name = "members/member_form.html"
    success_message = _("The record of %(name)s was saved.")

    def load_objects(self) -> None:
        self.member = selectors.member_get(actor=self.request.user, pk=self.kwargs["pk"])
        require_unit_permission(self.request.user, Permission.MEMBER_CHANGE, self.member.unit)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user, "member": self.member}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member,
            title=_("Edit the record of %(name)s") % {"name": self.member.full_name},
            submit_label=_("Save"),
            cancel_url=reverse("members:detail", args=[self.member.pk]),
            **kwargs,
        )

    def perform(self, form):
        return services.member_update(
            actor=self.request.user,
            member=self.member,
            data=form.changed_record_data(),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    def success_url_for(self, result) -> str:
        return reverse("members:detail", args=[result.pk])


@login_required
def access_log(request):
    """Who opened which member's full record, and who exported which members, in a unit's subtree."""
    code = request.GET.get("unit") or outermost_unit_code(request.user, Permission.ACCESS_LOG_VIEW)
    unit = unit_get(actor=request.user, code=code, permission=Permission.ACCESS_LOG_VIEW)
    page_size = settings.MEMBER_LIST_PAGE_SIZE
    context = {
        "unit": unit,
        "openings": Paginator(selectors.record_accesses(actor=request.user, unit=unit), page_size).get_page(
            request.GET.get("page")
        ),
        "exports": Paginator(selectors.member_exports(actor=request.user, unit=unit), page_size).get_page(
            request.GET.get("exports_page")
        ),
    }
    return render(request, "members/access_log.html", context)
