"""Residence registration pages (Quy định 213-QĐ/TW): thin wrappers over the selectors and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.dates import today
from common.views import add_service_errors

from . import selectors, services
from .choices import RegistrationStatus
from .forms import FeedbackForm, RefusalForm, RegistrationForm

PAGE_SIZE = 30


@login_required
def index(request):
    rows = selectors.registrations_visible(request.user).order_by("-requested_on", "-pk")
    status = request.GET.get("status", "")
    if status in RegistrationStatus.values:
        rows = rows.filter(status=status)
    own_member = request.user.member if request.user.member_id else None
    return render(
        request,
        "residence/index.html",
        {
            "own": selectors.own_registrations(user=request.user),
            "must_register": own_member is not None and selectors.must_register(own_member),
            "waiting": selectors.waiting_for_decision(actor=request.user)[:50],
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "statuses": RegistrationStatus.choices,
        },
    )


@login_required
def register(request):
    member_id = request.GET.get("member") or request.POST.get("member") or request.user.member_id
    if not str(member_id or "").isdigit():
        raise Http404
    member = selectors.member_for_registration(actor=request.user, pk=int(member_id))
    suggested = selectors.suggested_residential_cell(member)
    form = RegistrationForm(
        request.POST or None,
        cells=selectors.residential_cells_near(member),
        initial={"residential_unit": suggested.code if suggested else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_request(
                actor=request.user, member=member, residential_unit=form.cleaned_data["residential_unit"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request is sent to the residential cell."))
            return redirect("residence:registration", pk=registration.pk)
    return render(request, "residence/register.html", {"form": form, "member": member})


def _context(request, registration, **forms) -> dict:
    return {
        "registration": registration,
        "can_decide": selectors.can_decide(user=request.user, registration=registration),
        "feedback": registration.feedback.order_by("-year"),
        "refusal_form": forms.get("refusal_form") or RefusalForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm.for_today(today()),
    }


@login_required
def registration(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    return render(request, "residence/registration.html", _context(request, registration))


def _refused(request, registration, error, **forms):
    for text in error.messages:
        messages.error(request, text)
    return render(request, "residence/registration.html", _context(request, registration, **forms), status=400)


@login_required
@require_POST
def accept(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    try:
        services.registration_accept(actor=request.user, registration=registration)
    except ValidationError as error:
        return _refused(request, registration, error)
    messages.success(request, _("The member is registered with the cell."))
    return redirect("residence:registration", pk=pk)


@login_required
@require_POST
def refuse(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        return render(
            request, "residence/registration.html", _context(request, registration, refusal_form=form), status=400
        )
    try:
        services.registration_refuse(actor=request.user, registration=registration, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, registration, error, refusal_form=form)
    messages.success(request, _("The request is refused."))
    return redirect("residence:registration", pk=pk)


@login_required
@require_POST
def feedback(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, "residence/registration.html", _context(request, registration, feedback_form=form), status=400
        )
    try:
        services.feedback_give(actor=request.user, registration=registration, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, registration, error, feedback_form=form)
    messages.success(request, _("The feedback is sent to the member's cell."))
    return redirect("residence:registration", pk=pk)
