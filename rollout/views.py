"""Rollout pages: the dashboard per unit, its XLSX export, teams and their worklists."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import granted_unit_paths, has_unit_permission
from accounts.slips import slip_addresses
from common.pagination import capped_page
from common.routers import heavy_read_view
from common.text import fold_for_search
from common.views import add_service_errors, service_action
from members.choices import CURRENT_STATUSES
from members.selectors import MEMBER_LIST_ORDER, member_list_paging, members_visible_to
from orgunits.models import Unit

from . import exporting, selectors, services
from .activation.services import account_activate_by_supporter
from .display import BARS_SHOWN, bar_chart, trend_chart
from .forms import (
    FiguresForm,
    HelpSessionForm,
    PlanForm,
    SupporterActivationForm,
    TeamForm,
    TeamMemberForm,
    TrainingForm,
)

WORKLIST_PAGE_SIZE = 20
# The child units' table is paged: a ward has 150 cells, a page of 150 rows is 17,000 px tall on a phone.
CHILD_UNITS_PAGE_SIZE = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The trend shows the rollout's last eight weeks; the forecast goes at the pace of the last 30 days.
TREND_DAYS = 56
PACE_DAYS = 30


def _figures_context(request, unit) -> dict:
    form = FiguresForm(request.GET or None)
    as_of = target = None
    if form.is_bound and form.is_valid():
        as_of, target = form.cleaned_data["as_of"], form.cleaned_data["target"]
    target = target or 95
    figures = selectors.unit_figures(unit=unit, as_of=as_of)
    trend = selectors.activation_trend(unit=unit, days=TREND_DAYS, today=as_of)
    children = selectors.child_figures(unit=unit, as_of=as_of)
    day = as_of or timezone.localdate()
    return {
        "unit": unit,
        "form": form,
        "as_of": as_of,
        "figures": figures,
        "children": children,
        "activated_this_week": selectors.activated_since(
            unit=unit, figures=figures, day=day - datetime.timedelta(days=7)
        ),
        "chart": trend_chart(trend, target=target),
        "bars": bar_chart(children, target=target, limit=None if request.GET.get("all") else BARS_SHOWN),
        "lagging": sum(
            1 for child in children if child.percent_of_members is not None and child.percent_of_members < target
        ),
        "target": target,
        "target_date": selectors.target_date(figures=figures, trend=trend[-PACE_DAYS:], target_percent=target),
        "plan": selectors.plan_progress(unit=unit, figures=figures, today=day),
        "training": selectors.training_totals(unit=unit),
        "horizon_days": selectors.FORECAST_HORIZON_DAYS,
    }


@login_required
@heavy_read_view
def dashboard(request, code: str):
    unit = selectors.unit_for_figures(actor=request.user, code=code)
    context = _figures_context(request, unit)
    context["children_page"] = Paginator(context["children"], CHILD_UNITS_PAGE_SIZE).get_page(request.GET.get("units"))
    other_parameters = request.GET.copy()
    other_parameters.pop("units", None)
    context["units_query"] = other_parameters.urlencode()
    context["teams"] = selectors.teams_visible_to(request.user).filter(unit__path__startswith=unit.path)
    context["can_manage"] = has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit)
    context["can_list_members"] = has_unit_permission(request.user, Permission.MEMBER_VIEW, unit)
    return render(request, "rollout/dashboard.html", context)


def _record_from_page(request, unit, form, *, record, success: str, to: str):
    """A unit page's form that records something through `record` (a service taking actor and unit): a redirect
    once recorded; None to show the page (the form with the service's refusals beside its fields)."""
    if request.method != "POST":
        return None
    # Those who may only look get no form; the service would refuse them too, but only once the form is valid.
    if not has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit):
        raise PermissionDenied
    if form.is_valid():
        try:
            record(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(to, code=unit.code)
    return None


@login_required
def plans(request, code: str):
    """The unit's rollout plans, and the form to record one (for those who manage the unit's rollout)."""
    unit = selectors.unit_for_figures(actor=request.user, code=code)
    form = PlanForm(request.POST or None)
    recorded = _record_from_page(
        request, unit, form, record=services.plan_create, success=_("The plan is recorded."), to="rollout:plans"
    )
    if recorded:
        return recorded
    context = {
        "unit": unit,
        "plans": selectors.unit_plans(unit=unit),
        "progress": selectors.plan_progress(unit=unit, figures=selectors.unit_figures(unit=unit)),
        "form": form if has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit) else None,
    }
    return render(request, "rollout/plans.html", context)


@login_required
def training(request, code: str):
    """Trainings held in the unit's subtree, and the form to record one of the unit's."""
    unit = selectors.unit_for_figures(actor=request.user, code=code)
    form = TrainingForm(request.POST or None)
    recorded = _record_from_page(
        request,
        unit,
        form,
        record=services.training_record,
        success=_("The training is recorded."),
        to="rollout:training",
    )
    if recorded:
        return recorded
    context = {
        "unit": unit,
        "page": Paginator(selectors.training_sessions(unit=unit), 20).get_page(request.GET.get("page")),
        "totals": selectors.training_totals(unit=unit),
        "form": form if has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit) else None,
    }
    return render(request, "rollout/training.html", context)


def _figures_download(
    request, code: str, *, build, content_type: str, name: str, extension: str, with_progress: bool = False
) -> HttpResponse:
    """The unit's figures (as of the form's day) written by `build` into a file to download; `with_progress`: and
    its progress against the plan in force and its trainings."""
    unit = selectors.unit_for_figures(actor=request.user, code=code)
    context = _figures_context(request, unit)
    day = context["as_of"] or timezone.localdate()
    progress = {"plan": context["plan"], "training": context["training"]} if with_progress else {}
    content = build(unit=unit, figures=context["figures"], children=context["children"], day=day, **progress)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{unit.code}-{day.isoformat()}.{extension}"'
    return response


@login_required
@heavy_read_view
def dashboard_export(request, code: str):
    return _figures_download(
        request, code, build=exporting.figures_xlsx, content_type=XLSX_TYPE, name="rollout", extension="xlsx"
    )


@login_required
@heavy_read_view
def dashboard_report(request, code: str):
    """The figures as the unit's official report (DOCX in the party's document format)."""
    return _figures_download(
        request,
        code,
        build=exporting.figures_docx,
        content_type=DOCX_TYPE,
        name="rollout-report",
        extension="docx",
        with_progress=True,
    )


@login_required
@heavy_read_view
def pending(request, code: str):
    """Who in the unit still needs help: current members without an activated account."""
    unit = selectors.unit_for_figures(actor=request.user, code=code, permission=Permission.MEMBER_VIEW)
    activated = User.objects.filter(member=OuterRef("pk"), activated_at__isnull=False)
    members = (
        members_visible_to(request.user)
        .filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES)
        .exclude(Exists(activated))
        .select_related("unit")
        .order_by(*MEMBER_LIST_ORDER)
    )
    # A province's or the country's list runs to hundreds of thousands: counted only up to the member lists' cap.
    page = capped_page(
        members, request.GET.get("page"), settings.MEMBER_LIST_PAGE_SIZE, **member_list_paging(actor=request.user)
    )
    can_reset = has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit)
    return render(request, "rollout/pending.html", {"unit": unit, "page": page, "can_reset": can_reset})


@login_required
def team_create(request, code: str):
    unit = selectors.unit_for_figures(actor=request.user, code=code)
    if not has_unit_permission(request.user, Permission.MEMBER_CHANGE, unit):
        raise PermissionDenied
    form = TeamForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("Team created."))
        return redirect("rollout:team", pk=team.pk)
    return render(request, "rollout/team_form.html", {"unit": unit, "form": form})


@login_required
def team_detail(request, pk: int):
    team = selectors.team_get(actor=request.user, pk=pk)
    is_member = selectors.is_team_member(user=request.user, team=team)
    can_manage = selectors.can_manage_team(user=request.user, team=team)
    rows = selectors.team_worklist(team=team)
    # A phone shows a page of the worklist at a time, filtered by name or to the supporter's own members.
    search = request.GET.get("q", "").strip()[:100]
    only_mine = request.GET.get("mine") == "1"
    if search:
        folded = fold_for_search(search)
        rows = [row for row in rows if folded in fold_for_search(row.member.full_name)]
    if only_mine:
        rows = [row for row in rows if row.assignee_name == str(request.user)]
    page = Paginator(rows, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    form = HelpSessionForm(members_queryset=selectors.team_area_members(team))
    context = {
        "team": team,
        "rows": page.object_list,
        "page": page,
        "search": search,
        "only_mine": only_mine,
        # Phones, masked and revealed one at a time (logged), are for the team's own members only.
        "show_phones": is_member,
        "can_log": is_member or can_manage,
        "can_manage": can_manage,
        "supporters": selectors.team_figures(team=team),
        "memberships": team.memberships.select_related("user"),
        "form": form,
        "member_form": TeamMemberForm(),
    }
    return render(request, "rollout/team_detail.html", context)


@login_required
@require_POST
def help_session_log(request, pk: int):
    team = selectors.team_get(actor=request.user, pk=pk)
    form = HelpSessionForm(request.POST, members_queryset=selectors.team_area_members(team))
    if not form.is_valid():
        messages.error(request, _("Choose the members, where, what and the outcome."))
        return redirect("rollout:team", pk=team.pk)
    return service_action(
        request,
        lambda: services.help_session_log(actor=request.user, team=team, **form.cleaned_data),
        success=_("Help session recorded."),
        to="rollout:team",
        pk=team.pk,
    )


@login_required
@require_POST
def phone_reveal(request, pk: int, member_pk: int):
    """One tap on a masked number of the worklist: the full number, to call, written to the access log."""
    team = selectors.team_get(actor=request.user, pk=pk)
    member = get_object_or_404(selectors.worklist_members(team), pk=member_pk)
    try:
        phone = services.worklist_phone_reveal(actor=request.user, team=team, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rollout:team", pk=team.pk)
    return render(request, "rollout/phone_reveal.html", {"team": team, "member": member, "phone": phone})


@login_required
@require_POST
def team_member_add(request, pk: int):
    team = selectors.team_get(actor=request.user, pk=pk)
    form = TeamMemberForm(request.POST)
    if not form.is_valid():
        raise Http404
    user = get_object_or_404(User, username=form.cleaned_data["username"])
    return service_action(
        request,
        lambda: services.team_member_add(
            actor=request.user, team=team, user=user, affiliation=form.cleaned_data["affiliation"]
        ),
        to="rollout:team",
        pk=team.pk,
    )


@login_required
@require_POST
def worklist_assign(request, pk: int):
    team = selectors.team_get(actor=request.user, pk=pk)
    member = get_object_or_404(selectors.team_area_members(team), pk=request.POST.get("member"))
    assignee = get_object_or_404(User, pk=request.POST.get("assignee"), team_memberships__team=team)
    services.worklist_assign(actor=request.user, team=team, member=member, assignee=assignee)
    messages.success(request, _("Assigned."))
    return redirect("rollout:team", pk=team.pk)


@login_required
def home(request):
    """Where the rollout starts: the dashboards of the user's units in scope, and their teams."""
    paths = granted_unit_paths(request.user, Permission.ROLLOUT_VIEW)
    units = Unit.objects.filter(path__in=paths).order_by("path")
    teams = selectors.teams_visible_to(request.user).select_related("unit")
    return render(request, "rollout/home.html", {"units": units, "teams": teams})


SESSION_SUPPORTER_ACTIVATED = "supporter_activated"


@login_required
def supporter_activation(request, pk: int, member_pk: int):
    """A supporter activates a member's account with the member present (recorded as a help session)."""
    team = selectors.team_get(actor=request.user, pk=pk)
    member = get_object_or_404(selectors.team_area_members(team), pk=member_pk)
    done = request.session.get(SESSION_SUPPORTER_ACTIVATED)
    if request.method == "GET" and done and done["member"] == member.pk:
        # The activation ends by showing the username to sign in with, on a slip to print and hand over.
        del request.session[SESSION_SUPPORTER_ACTIVATED]
        slip = {"name": member.full_name, "username": done["username"]}
        context = {"team": team, "member": member, "slip": slip, **slip_addresses(host=request.get_host())}
        return render(request, "rollout/supporter_activation_done.html", context)
    form = SupporterActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_activate_by_supporter(
                actor=request.user,
                team=team,
                member=member,
                password=form.cleaned_data["password1"],
                has_consent=form.cleaned_data["has_consent"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account of %(name)s is activated.") % {"name": member.full_name})
            request.session[SESSION_SUPPORTER_ACTIVATED] = {"member": member.pk, "username": user.username}
            return redirect("rollout:supporter_activation", pk=team.pk, member_pk=member.pk)
    return render(request, "rollout/supporter_activation.html", {"team": team, "member": member, "form": form})
