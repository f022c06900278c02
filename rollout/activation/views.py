"""Activation pages: the member's own (public: no account is usable yet) and the secretary's slips and reset, and
the slips of an import's members. Mounted at the site root under the namespace `activation` (/activate/,
/activation/...)."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.activation_codes import activation_code_check
from accounts.choices import Permission
from accounts.models import ActivationCode
from accounts.slips import qr_for_slip, slip_addresses
from common.views import add_service_errors
from members.choices import ImportState
from members.importing import selectors as import_selectors
from members.selectors import member_get
from orgunits.selectors import unit_get

from . import services as activation
from .forms import ActivationCodeForm, ChoosePasswordForm, SmsCheckForm

SESSION_CODE = "activation_code_id"
SESSION_SLIPS = "activation_slips"


def activate(request):
    """Step 1: the identifier and the code from the slip (or the SMS). The QR code fills both in."""
    initial = {"identifier": request.GET.get("u", ""), "code": request.GET.get("c", "")}
    form = ActivationCodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            code = activation_code_check(**form.cleaned_data, address=get_client_ip_address(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SESSION_CODE] = code.pk
            return redirect("activation:activate_password")
    return render(request, "rollout/activation/activate.html", {"form": form})


def activate_password(request):
    """Step 2: the member chooses a password; the code is used up and they land on their home page."""
    code = ActivationCode.objects.filter(pk=request.session.get(SESSION_CODE)).first()
    if code is None:
        return redirect("activation:activate")
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activation.account_activate_with_code(code=code, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error.messages)
        else:
            request.session.pop(SESSION_CODE, None)
            login(request, user, backend="accounts.backends.IdentifierBackend")
            messages.success(request, _("Your account is activated."))
            return redirect("accounts:home")
    return render(request, "rollout/activation/activate_password.html", {"form": form})


def activate_sms(request):
    """Identity check: card number, date of birth and phone must match the record; the code goes by SMS."""
    form = SmsCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activation.activation_sms_send(**form.cleaned_data, address=get_client_ip_address(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("If these details match your record, a code has been sent to your phone."))
            return redirect(f"{reverse('activation:activate')}?{urlencode({'u': form.cleaned_data['card_number']})}")
    return render(request, "rollout/activation/activate_sms.html", {"form": form})


@login_required
def activation_slips(request, code: str):
    """A cell's slips on A4. POST issues new codes; they are shown once, then only their hashes remain."""
    cell = unit_get(actor=request.user, code=code, permission=Permission.MEMBER_CHANGE)
    if request.method == "POST":
        slips = activation.activation_slips_issue(actor=request.user, cell=cell)
        request.session[SESSION_SLIPS] = [slip_data(slip) for slip in slips]
        return redirect("activation:activation_slips", code=cell.code)
    slips = request.session.pop(SESSION_SLIPS, None)
    for slip in slips or []:
        slip["qr"] = qr_for_slip(request, slip)
    return render(
        request,
        "rollout/activation/activation_slips.html",
        {"cell": cell, "slips": slips, **slip_addresses(host=request.get_host())},
    )


def slip_data(slip) -> dict:
    return {
        "name": slip.member.full_name,
        "username": slip.username,
        "code": slip.code,
        "expires_on": slip.expires_at.date().strftime("%d/%m/%Y"),
    }


@login_required
@require_POST
def activation_reset(request, pk: int):
    member = member_get(actor=request.user, pk=pk, permission=Permission.MEMBER_CHANGE)
    try:
        slip = activation.activation_code_reset(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:detail", pk=member.pk)
    request.session[SESSION_SLIPS] = [slip_data(slip)]
    return redirect("activation:activation_slips", code=member.unit.code)


@login_required
@require_POST
def import_slips(request, pk: int):
    """Accounts and activation slips for every member of an applied import, in one step; printed on the slips
    page of the import's unit (the codes are shown once)."""
    job = import_selectors.import_job_get(actor=request.user, pk=pk)
    if job.state != ImportState.COMMITTED:
        messages.error(request, _("Apply the import before issuing its members' slips."))
        return redirect("members:import_detail", pk=job.pk)
    members = list(import_selectors.import_job_members(job=job))
    try:
        slips = activation.activation_slips_issue_for_members(actor=request.user, members=members)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("members:import_detail", pk=job.pk)
    request.session[SESSION_SLIPS] = [slip_data(slip) for slip in slips]
    return redirect("activation:activation_slips", code=job.unit.code)
