"""Transfer pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.dates import today
from common.views import form_service, service_action

from . import letters, selectors, services
from .choices import LetterCheck, Stage
from .forms import ApplicationForm, IncomingForm, LetterForm, ReasonForm

PAGE_SIZE = 30


def _transfer_url(transfer) -> str:
    return reverse("transfers:transfer", args=[transfer.pk])


@login_required
def index(request):
    """The member's own transfers; for officers the work waiting for them and every transfer they see."""
    rows = selectors.transfers_visible_to(request.user)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    day = today()
    return render(
        request,
        "transfers/index.html",
        {
            "own": selectors.own_transfers(user=request.user),
            "to_decide": selectors.waiting_for_decision(actor=request.user)[:50],
            "to_receive": selectors.waiting_for_receipt(actor=request.user)[:50],
            "late_count": selectors.late(actor=request.user, day=day).count(),
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "stage": stage,
            "stages": Stage.choices,
            "can_receive_from_outside": selectors.receiving_cells(actor=request.user).exists(),
            "today": day,
        },
    )


@login_required
def late(request):
    day = today()
    rows = selectors.late(actor=request.user, day=day)
    return render(
        request,
        "transfers/late.html",
        {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "today": day},
    )


@login_required
def apply(request):
    """The application: the member's own, or one the secretary files for a member of the cell (?member=)."""
    member_id = request.GET.get("member") or request.POST.get("member") or request.user.member_id
    if not str(member_id or "").isdigit():
        raise Http404
    member = selectors.member_for_transfer(actor=request.user, pk=int(member_id))
    form = ApplicationForm(
        request.POST or None,
        nearby=selectors.nearby_cells(member=member),
        on_paper=member.pk != request.user.member_id,
    )
    if done := form_service(
        request,
        form,
        lambda data: services.transfer_apply(actor=request.user, member=member, **form.service_arguments()),
        success=_("The application is filed. The committee will decide and issue the letter."),
        to=_transfer_url,
    ):
        return done
    return render(request, "transfers/apply.html", {"form": form, "member": member})


@login_required
def transfer(request, pk: int):
    transfer = selectors.transfer_get(actor=request.user, pk=pk)
    return render(request, "transfers/transfer.html", _context(request, transfer))


def _context(request, transfer) -> dict:
    context = {
        "transfer": transfer,
        "is_late": selectors.is_late(transfer, today()),
        "can_decide": selectors.can_decide(user=request.user, transfer=transfer),
        "can_receive": selectors.can_receive(user=request.user, transfer=transfer),
        "can_return": selectors.can_manage_home(user=request.user, transfer=transfer),
        "can_cancel": selectors.can_cancel(user=request.user, transfer=transfer),
        "letter_form": LetterForm(),
        "refuse_form": ReasonForm(prefix="refuse"),
        "cancel_form": ReasonForm(prefix="cancel"),
    }
    if transfer.letter_number:
        link = letters.check_link(transfer, request.build_absolute_uri("/"))
        context["qr_svg"] = segno.make(link, error="m").svg_inline(scale=3, dark="#000", light="#fff")
    return context


def _invalid(request, form, pk: int):
    """A form that did not validate: its messages on top of the transfer's page."""
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("transfers:transfer", pk=pk)


@login_required
@require_POST
def issue(request, pk: int):
    transfer = selectors.transfer_get(actor=request.user, pk=pk)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    return service_action(
        request,
        lambda: services.letter_issue(actor=request.user, transfer=transfer, **form.cleaned_data),
        success=lambda issued: _("The letter %(number)s is issued.") % {"number": issued.letter_reference},
        to="transfers:transfer",
        pk=pk,
    )


def _reasoned(service, prefix: str, message):
    @login_required
    @require_POST
    def view(request, pk: int):
        transfer = selectors.transfer_get(actor=request.user, pk=pk)
        form = ReasonForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return _invalid(request, form, pk)
        return service_action(
            request,
            lambda: service(actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"]),
            success=str(message),
            to="transfers:transfer",
            pk=pk,
        )

    return view


refuse = _reasoned(services.transfer_refuse, "refuse", gettext_lazy("The application is refused."))
cancel = _reasoned(services.transfer_cancel, "cancel", gettext_lazy("The transfer is cancelled."))


def _stepped(service, message):
    @login_required
    @require_POST
    def view(request, pk: int):
        transfer = selectors.transfer_get(actor=request.user, pk=pk)
        return service_action(
            request,
            lambda: service(actor=request.user, transfer=transfer),
            success=str(message),
            to="transfers:transfer",
            pk=pk,
        )

    return view


receive = _stepped(services.transfer_receive, gettext_lazy("The member is received into the cell."))
return_home = _stepped(services.transfer_return, gettext_lazy("The member is back in the home cell's activity."))


@login_required
def letter(request, pk: int):
    transfer = selectors.transfer_get(actor=request.user, pk=pk)
    if not transfer.letter_number:
        raise Http404
    content = letters.letter_docx(transfer=transfer, link=letters.check_link(transfer, request.build_absolute_uri("/")))
    response = HttpResponse(content, content_type=letters.DOCX_TYPE)
    name = f"giay-gioi-thieu-{transfer.letter_year}-{transfer.letter_number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def check(request):
    """Where the letter's QR leads: is the paper genuine, and does it still stand."""
    state, transfer = selectors.letter_check(request.GET.get("t", ""))
    return render(request, "transfers/check.html", {"state": state, "transfer": transfer, "states": LetterCheck})


@login_required
def incoming(request):
    """A member arriving with a letter issued outside Sổ tay, recorded by the receiving cell or its committee."""
    cells = selectors.receiving_cells(actor=request.user)
    if not cells.exists():
        raise Http404
    form = IncomingForm(request.POST or None, cells=cells)
    if done := form_service(
        request,
        form,
        lambda data: services.transfer_receive_from_outside(actor=request.user, **form.service_arguments()),
        success=_("The member is received into the cell."),
        to=_transfer_url,
    ):
        return done
    return render(request, "transfers/incoming.html", {"form": form})
