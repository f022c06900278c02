"""Study pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import ListFileForm
from common.tabular import problems_by_row
from common.views import add_service_errors, form_service, is_kept_ahead, key_from, service_action

from . import exporting, question_import, selectors, services
from .choices import StudyState
from .forms import AssignmentForm, ExtendForm, QuestionForm, QuizForm, WithdrawForm

PAGE_SIZE = 30
# A part's key as the page names it (`text`, `doc-<id>`): only such a key goes back into the address.
STEP_KEY = re.compile(r"^(text|doc-\d{1,19})$")
# The newest documents offered to attach (a province's library holds thousands; search the library for others).
ATTACHABLE_DOCUMENTS = 100


@login_required
def index(request):
    rows = selectors.assignment_list(actor=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.own_progress_by_assignment(user=request.user, assignments=page.object_list)
    items = [
        (assignment, StudyState(selectors.state_of(progress.get(assignment.pk)))) for assignment in page.object_list
    ]
    return render(
        request,
        "study/index.html",
        {
            "page": page,
            "items": items,
            "is_member": bool(request.user.member_id),
            "can_assign": selectors.issuing_units(actor=request.user).exists(),
        },
    )


@login_required
def new(request):
    units = selectors.issuing_units(actor=request.user)
    if not units.exists():
        raise PermissionDenied
    documents = selectors.attachable_documents(actor=request.user)
    documents = documents.filter(pk__in=list(documents.values_list("pk", flat=True)[:ATTACHABLE_DOCUMENTS]))
    form = AssignmentForm(request.POST or None, units=units, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, chosen, notify = data.pop("unit"), list(data.pop("documents")), data.pop("notify_members")
        try:
            assignment = services.assignment_create(
                actor=request.user, unit=unit, data=data, documents=chosen, notify_members=notify
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The study is assigned. Now write its quiz, if it has one."))
            return redirect("study:questions", pk=assignment.pk)
    return render(request, "study/new.html", {"form": form})


@login_required
def assignment(request, pk: int):
    """The member studies here: every part on one page (kept on the phone for offline), each ticked when read."""
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    progress = (
        selectors.own_progress(user=request.user, assignment=assignment)
        if is_kept_ahead(request)
        else services.study_open(actor=request.user, assignment=assignment)
    )
    steps = selectors.study_steps(assignment=assignment, progress=progress)
    can_manage = selectors.can_manage(user=request.user, assignment=assignment)
    return render(
        request,
        "study/assignment.html",
        {
            "assignment": assignment,
            "progress": progress,
            "state": StudyState(selectors.state_of(progress)),
            "steps": steps,
            "steps_done": sum(1 for step in steps if step.is_done),
            "question_count": assignment.questions.count(),
            "may_study": selectors.may_study(user=request.user, assignment=assignment),
            "is_open": assignment.is_open_on(timezone.localdate()),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "can_see_figures": selectors.can_see_figures(user=request.user, assignment=assignment),
            "extend_form": ExtendForm(initial={"ends_on": assignment.ends_on}) if can_manage else None,
            "withdraw_form": WithdrawForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def step_done(request):
    """A part read: the assignment and the part are in the body, so that a phone offline keeps the POST and sends it
    again later (sw.js)."""
    assignment = selectors.assignment_get(actor=request.user, pk=key_from(request.POST.get("assignment")))
    step = request.POST.get("step", "")[:32]
    response = service_action(
        request,
        lambda: services.study_step_done(actor=request.user, assignment=assignment, step=step),
        to="study:assignment",
        pk=assignment.pk,
    )
    if STEP_KEY.match(step):
        response["Location"] += f"#step-{step}"
    return response


@login_required
def quiz(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    questions = selectors.questions_of(assignment=assignment)
    progress = selectors.own_progress(user=request.user, assignment=assignment)
    used = progress.attempts_used if progress else 0
    form = QuizForm(request.POST or None, questions=questions, initial={"attempt": used + 1})
    url = reverse("study:quiz", args=[assignment.pk])
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.quiz_submit(
                actor=request.user,
                assignment=assignment,
                answers=form.answers(),
                attempt_number=form.cleaned_data["attempt"],
            )
        except ValidationError as error:
            if error.error_list[0].code == services.ALREADY_SENT and used:
                return redirect(f"{url}?attempt={used}")  # a second tap: the result of the first
            add_service_errors(form, error)
        else:
            return redirect(f"{url}?attempt={attempt.number}")
    attempt = None
    if number := request.GET.get("attempt"):
        attempt = selectors.own_attempt_get(user=request.user, assignment=assignment, number=key_from(number))
        progress = attempt.progress
    attempts = selectors.own_attempts(progress=progress)
    attempts_left = assignment.max_attempts - (progress.attempts_used if progress else 0)
    show_key = selectors.key_is_shown(assignment=assignment, progress=progress)
    has_passed = bool(progress and progress.passed_at)
    may_study = selectors.may_study(user=request.user, assignment=assignment)
    today = timezone.localdate()
    return render(
        request,
        "study/quiz.html",
        {
            "assignment": assignment,
            "form": form,
            "attempt": attempt,
            "review": selectors.attempt_review(questions=questions, attempt=attempt, show_key=show_key)
            if attempt
            else [],
            "attempts": attempts,
            "attempts_left": attempts_left,
            "has_passed": has_passed,
            "may_study": may_study,
            "not_yet": today < assignment.starts_on,
            "is_over": today > assignment.ends_on,
            "may_answer": may_study
            and assignment.is_open_on(today)
            and bool(questions)
            and not has_passed
            and attempts_left > 0,
        },
    )


@login_required
def questions(request, pk: int):
    assignment = _managed(request, pk)
    form = QuestionForm(request.POST or None)
    if done := form_service(
        request,
        form,
        lambda data: services.question_add(
            actor=request.user,
            assignment=assignment,
            text=data["text"],
            choices=form.choices(),
            is_multiple=data["is_multiple"],
            explanation=data["explanation"],
        ),
        success=_("The question is added."),
        to="study:questions",
        pk=assignment.pk,
    ):
        return done
    return _questions_page(request, assignment, form=form, file_form=ListFileForm())


def _managed(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    if not selectors.can_manage(user=request.user, assignment=assignment):
        raise Http404
    return assignment


def _questions_page(request, assignment, *, form, file_form, problems=()):
    return render(
        request,
        "study/questions.html",
        {
            "assignment": assignment,
            "questions": selectors.questions_of(assignment=assignment),
            "is_locked": selectors.has_attempts(assignment=assignment),
            "form": form,
            "file_form": file_form,
            "problems": problems,
        },
    )


@login_required
@require_POST
def questions_import(request, pk: int):
    assignment = _managed(request, pk)
    file_form = ListFileForm(request.POST, request.FILES)
    problems = []
    if file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        try:
            rows = question_import.read_questions(upload.name, upload.read())
            count = services.questions_import(actor=request.user, assignment=assignment, rows=rows)
        except ValidationError as error:
            problems = problems_by_row(error)
            messages.error(request, _("Nothing was imported: correct the rows below and upload the file again."))
        else:
            messages.success(request, _("%(count)s questions are added.") % {"count": count})
            return redirect("study:questions", pk=assignment.pk)
    return _questions_page(request, assignment, form=QuestionForm(), file_form=file_form, problems=problems)


@login_required
def questions_sample(request):
    response = HttpResponse(question_import.sample(), content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="cau-hoi-mau.xlsx"'
    return response


@login_required
@require_POST
def question_remove(request, pk: int):
    assignment = _managed(request, pk)
    return service_action(
        request,
        lambda: services.question_remove(
            actor=request.user, assignment=assignment, question_id=key_from(request.POST.get("question"))
        ),
        success=_("The question is removed."),
        to="study:questions",
        pk=assignment.pk,
    )


@login_required
@require_POST
def extend(request, pk: int):
    assignment = _managed(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new last day."))
        return redirect("study:assignment", pk=assignment.pk)
    return service_action(
        request,
        lambda: services.assignment_extend(
            actor=request.user, assignment=assignment, ends_on=form.cleaned_data["ends_on"]
        ),
        success=_("The study period is changed."),
        to="study:assignment",
        pk=assignment.pk,
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    assignment = _managed(request, pk)
    form = WithdrawForm(request.POST)
    return service_action(
        request,
        lambda: services.assignment_withdraw(
            actor=request.user, assignment=assignment, reason=form.data.get("reason", "")[:1000]
        ),
        success=_("The assignment is withdrawn."),
        to="study:assignment",
        pk=assignment.pk,
    )


@login_required
def figures(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    unit = selectors.figures_unit_get(actor=request.user, assignment=assignment, code=request.GET.get("unit", ""))
    total, children = selectors.study_figures(actor=request.user, assignment=assignment, unit=unit)
    return render(
        request,
        "study/figures.html",
        {
            "assignment": assignment,
            "unit": unit,
            "total": total,
            "children": children,
            "has_quiz": assignment.questions.exists(),
            # The way back up to the assignment's committee, for those who may read its figures.
            "top": selectors.figures_top(actor=request.user, assignment=assignment, unit=unit),
        },
    )


@login_required
def members(request, pk: int):
    """The members of a unit with where each stands; for a cell's secretary, the marks of those who studied at the
    cell's meeting."""
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    unit = selectors.figures_unit_get(actor=request.user, assignment=assignment, code=request.GET.get("unit", ""))
    state = request.GET.get("state", "")
    state = state if state in StudyState.values else ""
    rows = selectors.member_states(actor=request.user, assignment=assignment, unit=unit, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_mark = selectors.can_mark(user=request.user, unit=unit) and assignment.withdrawn_at is None
    return render(
        request,
        "study/members.html",
        {
            "assignment": assignment,
            "unit": unit,
            "state": state,
            "states": StudyState.choices,
            "page": page,
            "rows": [(member, StudyState(selectors.member_state(member))) for member in page.object_list],
            "can_mark": can_mark,
            # A meeting is a cell's: offered on a cell's list, where every member ticked belongs to it.
            "meetings": selectors.marking_meetings(assignment=assignment, unit=unit)[:20]
            if can_mark and unit.is_cell
            else [],
        },
    )


@login_required
@require_POST
def mark(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    member_ids = [key_from(value) for value in request.POST.getlist("member")[:500]]
    meeting = None
    if meeting_id := request.POST.get("meeting"):
        meeting = selectors.marking_meeting_get(actor=request.user, pk=key_from(meeting_id))
    back = reverse("study:members", args=[assignment.pk])
    if code := request.POST.get("unit", ""):
        back += f"?unit={code[:64]}"
    try:
        count = services.marks_record(actor=request.user, assignment=assignment, member_ids=member_ids, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s members are marked as studied with the cell.") % {"count": count})
    return redirect(back)


@login_required
def export(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    unit = selectors.figures_unit_get(actor=request.user, assignment=assignment, code=request.GET.get("unit", ""))
    total, children = selectors.study_figures(actor=request.user, assignment=assignment, unit=unit)
    rows = list(
        selectors.member_states(actor=request.user, assignment=assignment, unit=unit)[: exporting.MAX_MEMBER_ROWS + 1]
    )
    content = exporting.figures_xlsx(
        assignment=assignment,
        total=total,
        children=children,
        members=rows,
        has_quiz=assignment.questions.exists(),
        day=timezone.localdate(),
    )
    services.figures_export_log(actor=request.user, assignment=assignment, unit=unit, rows=len(rows))
    response = HttpResponse(content, content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hoc-tap-{assignment.pk}-{unit.code}.xlsx"'
    return response
