"""Admission and probation pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.dates import today as local_today
from common.views import form_service

from . import exporting, selectors, services
from .choices import CandidateStage, ProbationOutcome
from .forms import (
    AdmitForm,
    CandidateForm,
    DecisionForm,
    DropForm,
    FileForm,
    IntroducersForm,
    TrainingForm,
    VerificationForm,
    VoteForm,
)

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
    flags = selectors.late_flags([case.due_on for case in cases], today)
    return render(
        request,
        "admission/index.html",
        {
            "own": selectors.own_case(user=request.user),
            "rows": list(zip(cases, flags, strict=True)),
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


def _case_step(request, pk: int, *, form_name: str, make_form, service, success: str):
    """A form of the probation page handed to its service; refused, the page again with the form's errors."""
    case = selectors.case_get(actor=request.user, pk=pk)
    form = make_form(case, request.POST)
    if done := form_service(
        request,
        form,
        lambda data: service(actor=request.user, case=case, **data),
        success=success,
        to="admission:case",
        pk=case.pk,
    ):
        return done
    return render(request, "admission/case.html", _case_context(request, case, **{form_name: form}), status=400)


@login_required
@require_POST
def file(request, pk: int):
    return _case_step(
        request,
        pk,
        form_name="file_form",
        make_form=lambda case, data: FileForm(data),
        service=services.probation_file_record,
        success=_("The file is recorded."),
    )


@login_required
@require_POST
def vote(request, pk: int):
    return _case_step(
        request,
        pk,
        form_name="vote_form",
        make_form=lambda case, data: VoteForm(data, votes=selectors.cell_votes(case=case)),
        service=services.probation_cell_vote_record,
        success=_("The cell's vote is recorded: the committee decides."),
    )


@login_required
@require_POST
def decide(request, pk: int):
    return _case_step(
        request,
        pk,
        form_name="decision_form",
        make_form=lambda case, data: DecisionForm(data),
        service=services.probation_decide,
        success=_("The decision is recorded."),
    )


# == Candidates for admission ==


@login_required
def candidates(request):
    """The candidates the actor's cells and committees follow, by stage."""
    rows = selectors.candidates_visible_to(request.user)
    stage = request.GET.get("stage", "")
    if stage in CandidateStage.values:
        rows = rows.filter(stage=stage)
    return render(
        request,
        "admission/candidates.html",
        {
            "rows": rows[:LIST_SIZE],
            "stage": stage,
            "stages": CandidateStage.choices,
            "can_propose": selectors.proposing_cells(actor=request.user).exists(),
        },
    )


@login_required
def candidate_new(request):
    cells = selectors.proposing_cells(actor=request.user)
    if not cells.exists():
        raise PermissionDenied
    form = CandidateForm(request.POST or None, units=cells)
    if done := form_service(
        request,
        form,
        lambda data: services.candidate_propose(actor=request.user, **data),
        success=_("The candidate is proposed."),
        to=lambda candidate: reverse("admission:candidate", args=[candidate.pk]),
    ):
        return done
    return render(request, "admission/candidate_new.html", {"form": form})


def _step_form(step: str, candidate, data=None):
    if step == "introducers":
        return IntroducersForm(data, members=selectors.possible_introducers(candidate=candidate))
    if step == "vote":
        return VoteForm(data, votes=selectors.candidate_votes(candidate=candidate), initial={"voted_on": local_today()})
    if step == "admit":
        return AdmitForm(data, initial={"admitted_on": local_today()})
    return {"training": TrainingForm, "verification": VerificationForm, "drop": DropForm}[step](data)


# The step each form records, and the stage the candidate must be in for it to be offered.
CANDIDATE_STEP_SERVICES = {
    "training": (services.candidate_training_record, CandidateStage.PROPOSED),
    "verification": (services.candidate_verification_record, CandidateStage.TRAINED),
    "introducers": (services.candidate_introducers_record, CandidateStage.VERIFIED),
    "vote": (services.candidate_cell_vote_record, CandidateStage.INTRODUCED),
    "admit": (services.candidate_admit, CandidateStage.CELL_VOTED),
    "drop": (services.candidate_drop, None),
}


STEP_TITLES = {
    "training": (gettext_lazy("The course on the party"), gettext_lazy("Record the course")),
    "verification": (gettext_lazy("Background verification"), gettext_lazy("Record the verification")),
    "introducers": (gettext_lazy("Introducers and the mass organisation"), gettext_lazy("Record the introducers")),
    "vote": (gettext_lazy("The cell's vote"), gettext_lazy("Record the cell's vote")),
    "admit": (gettext_lazy("The committee's decision to admit"), gettext_lazy("Admit")),
    "drop": (gettext_lazy("Stop following the candidate"), gettext_lazy("Drop the candidate")),
}


def _candidate_context(request, candidate, *, step="", form=None) -> dict:
    can_follow = selectors.can_follow(user=request.user, candidate=candidate)
    can_admit = selectors.can_admit(user=request.user, candidate=candidate)
    forms = {}
    for name, (_service, stage) in CANDIDATE_STEP_SERVICES.items():
        offered = can_admit if name == "admit" else can_follow and (stage is None or stage == candidate.stage)
        if offered:
            forms[name] = form if name == step else _step_form(name, candidate)
    steps = [(name, *STEP_TITLES[name], form) for name, form in forms.items()]
    return {"candidate": candidate, "forms": forms, "steps": steps}


@login_required
def candidate(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    return render(request, "admission/candidate.html", _candidate_context(request, candidate))


@login_required
@require_POST
def candidate_step(request, pk: int, step: str):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    service, _stage = CANDIDATE_STEP_SERVICES[step]
    form = _step_form(step, candidate, request.POST)
    if done := form_service(
        request,
        form,
        lambda data: service(actor=request.user, candidate=candidate, **data),
        success=_("Recorded."),
        to="admission:candidate",
        pk=candidate.pk,
    ):
        return done
    context = _candidate_context(request, candidate, step=step, form=form)
    if step not in context["forms"]:
        context["steps"].append((step, *STEP_TITLES[step], form))
    return render(request, "admission/candidate.html", context, status=400)


@login_required
def candidate_decision_docx(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    if candidate.stage != CandidateStage.ADMITTED:
        raise Http404
    return _docx_response(
        exporting.admission_decision_docx(candidate=candidate), f"quyet-dinh-ket-nap-{candidate.pk}.docx"
    )


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporting.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The candidate's forms: name → (whether the file holds what it needs, how it is written).
CANDIDATE_FORMS = {
    "introduction-1": (
        lambda candidate: candidate.introducer_1_id is not None,
        lambda candidate: exporting.introduction_docx(candidate=candidate, introducer=candidate.introducer_1),
    ),
    "introduction-2": (
        lambda candidate: candidate.introducer_2_id is not None,
        lambda candidate: exporting.introduction_docx(candidate=candidate, introducer=candidate.introducer_2),
    ),
    "cell-resolution": (
        lambda candidate: candidate.cell_voted_on is not None,
        lambda candidate: exporting.cell_admission_resolution_docx(candidate=candidate),
    ),
}
CASE_FORMS = {
    "cell-resolution": (
        lambda case: case.cell_voted_on is not None,
        lambda case: exporting.cell_official_resolution_docx(case=case),
    ),
    "decision": (
        lambda case: case.outcome == ProbationOutcome.OFFICIAL,
        lambda case: exporting.official_decision_docx(case=case),
    ),
}


@login_required
def candidate_form_docx(request, pk: int, form: str):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    available, write = CANDIDATE_FORMS[form]
    if not available(candidate):
        raise Http404
    return _docx_response(write(candidate), f"{form}-{candidate.pk}.docx")


@login_required
def case_form_docx(request, pk: int, form: str):
    case = selectors.case_get(actor=request.user, pk=pk)
    available, write = CASE_FORMS[form]
    if not available(case):
        raise Http404
    return _docx_response(write(case), f"{form}-{case.pk}.docx")
