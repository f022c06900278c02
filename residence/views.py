"""Residence registration pages (Quy định 213-QĐ/TW): thin wrappers over the selectors and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.dates import today
from common.views import form_service, service_action

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
    if done := form_service(
        request,
        form,
        lambda data: services.registration_request(
            actor=request.user, member=member, residential_unit=data["residential_unit"]
        ),
        success=_("The request is sent to the residential cell."),
        to=lambda registration: reverse("residence:registration", args=[registration.pk]),
    ):
        return done
    return render(request, "residence/register.html", {"form": form, "member": member})


def _context(request, registration) -> dict:
    return {
        "registration": registration,
        "can_decide": selectors.can_decide(user=request.user, registration=registration),
        "feedback": registration.feedback.order_by("-year"),
        "refusal_form": RefusalForm(),
        "feedback_form": FeedbackForm.for_today(today()),
    }


@login_required
def registration(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    return render(request, "residence/registration.html", _context(request, registration))


def _decided(request, pk: int, form_class, perform, success: str):
    """A decision's POST: the form (if any) checked, then the service through `service_action`."""
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("residence:registration", pk=pk)
    data = form.cleaned_data if form is not None else {}
    return service_action(
        request, lambda: perform(registration, data), success=success, to="residence:registration", pk=pk
    )


@login_required
@require_POST
def accept(request, pk: int):
    return _decided(
        request,
        pk,
        None,
        lambda registration, data: services.registration_accept(actor=request.user, registration=registration),
        _("The member is registered with the cell."),
    )


@login_required
@require_POST
def refuse(request, pk: int):
    return _decided(
        request,
        pk,
        RefusalForm,
        lambda registration, data: services.registration_refuse(
            actor=request.user, registration=registration, reason=data["reason"]
        ),
        _("The request is refused."),
    )


@login_required
@require_POST
def feedback(request, pk: int):
    return _decided(
        request,
        pk,
        FeedbackForm,
        lambda registration, data: services.feedback_give(actor=request.user, registration=registration, **data),
        _("The feedback is sent to the member's cell."),
    )
