"""Admission and probation pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.dates import today as local_today
from common.views import add_service_errors

from . import selectors, services
from .forms import DecisionForm, FileForm, VoteForm

LIST_SIZE = 200


def _open_lazily(user) -> None:
    """Cases are opened daily; a probationary member admitted since gets theirs when a list is first viewed."""
    services.probation_cases_open(within=selectors.probationary_members_visible_to(user))


@login_required
def index(request):
    """The member's own probation, and for secretaries and committees the cases waiting for a decision."""
    _open_lazily(request.user)
    today = local_today()
    cases = list(selectors.open_cases(actor=request.user).exclude(member_id=request.user.member_id or 0)[:LIST_SIZE])
    return render(
        request,
        "admission/index.html",
        {
            "own": selectors.own_case(user=request.user),
            "rows": [(case, selectors.is_late(case, today)) for case in cases],
            "today": today,
        },
    )


@login_required
def late(request):
    """The late list: probation ended and not decided, for the actor's units or the one chosen (?unit=code)."""
    _open_lazily(request.user)
    today = local_today()
    unit = selectors.unit_for_list(actor=request.user, code=request.GET.get("unit", "").strip())
    return render(
        request,
        "admission/late.html",
        {"unit": unit, "cases": selectors.late_cases(actor=request.user, day=today, unit=unit)[:LIST_SIZE]},
    )


def _case_context(request, case, **forms) -> dict:
    can_record = selectors.can_record(user=request.user, case=case)
    can_decide = selectors.can_decide(user=request.user, case=case)
    context = {
        "case": case,
        "is_own": selectors.is_own(user=request.user, case=case),
        "is_late": selectors.is_late(case, local_today()),
        "can_record": can_record,
        "can_decide": can_decide,
    }
    if can_record:
        context["file_form"] = forms.get("file_form") or FileForm(
            initial={
                "application": case.application,
                "application_on": case.application_on,
                "introducers_opinion": case.introducers_opinion,
                "introducers_opinion_on": case.introducers_opinion_on,
                "mass_org_opinion": case.mass_org_opinion,
                "mass_org_opinion_on": case.mass_org_opinion_on,
            }
        )
        if case.has_file:
            context["vote_form"] = forms.get("vote_form") or VoteForm(
                votes=selectors.cell_votes(case=case), initial={"voted_on": local_today()}
            )
    if can_decide:
        context["decision_form"] = forms.get("decision_form") or DecisionForm(initial={"decided_on": local_today()})
    return context


@login_required
def case(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    return render(request, "admission/case.html", _case_context(request, case))


@login_required
@require_POST
def file(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            services.probation_file_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file is recorded."))
            return redirect("admission:case", pk=case.pk)
    return render(request, "admission/case.html", _case_context(request, case, file_form=form), status=400)


@login_required
@require_POST
def vote(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    form = VoteForm(request.POST, votes=selectors.cell_votes(case=case))
    if form.is_valid():
        try:
            services.probation_cell_vote_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cell's vote is recorded: the committee decides."))
            return redirect("admission:case", pk=case.pk)
    return render(request, "admission/case.html", _case_context(request, case, vote_form=form), status=400)


@login_required
@require_POST
def decide(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.probation_decide(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("admission:case", pk=case.pk)
    return render(request, "admission/case.html", _case_context(request, case, decision_form=form), status=400)
