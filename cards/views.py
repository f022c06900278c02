"""The electronic member card's pages: thin wrappers over the selectors (reads, scoped) and the services (writes)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.views import add_service_errors, form_service

from . import selectors, services
from .choices import CardCheck
from .forms import PhotoForm, ReasonForm

PAGE_SIZE = 30


def _check_link(request, token: str) -> str:
    return request.build_absolute_uri(f"/cards/check/?t={token}")


@login_required
def mine(request, photo_form=None, revoke_form=None, status=200):
    """The member's card: photo, name, card number, cell, dates and the QR an officer scans. Kept on the phone by
    the service worker, so it shows offline once loaded."""
    card = selectors.own_card(user=request.user)
    qr = segno.make(_check_link(request, card.token), error="m").svg_inline(scale=4, dark="#000", light="#fff")
    context = {
        "card": card,
        "qr_svg": qr,
        "photo_form": photo_form or PhotoForm(),
        "revoke_form": revoke_form or ReasonForm(),
    }
    response = render(request, "cards/mine.html", context, status=status)
    response["Cache-Control"] = "private, no-store" if status != 200 else "private"
    return response


@login_required
@require_POST
def mine_photo(request):
    card = selectors.own_card(user=request.user)
    form = PhotoForm(request.POST, request.FILES)
    if done := form_service(
        request,
        form,
        lambda data: services.photo_upload(actor=request.user, member=card.member, upload=data["photo"]),
        success=_("The photo is sent. It shows on your card once the committee approves it."),
        to="cards:mine",
    ):
        return done
    return mine(request, photo_form=form, status=400)


@login_required
@require_POST
def mine_revoke(request):
    card = selectors.own_card(user=request.user)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.card_revoke(actor=request.user, member=card.member, reason=form.cleaned_data["reason"])
        messages.success(request, _("The card is revoked: the codes shown before no longer verify."))
        return redirect("cards:mine")
    return mine(request, revoke_form=form, status=400)


@login_required
def check(request):
    """Where a card's QR leads: whether the card is valid, and whose it is only when it is."""
    token = request.GET.get("t", "")
    state, member = selectors.card_check(token)
    photo = selectors.approved_photo(member) if member else None
    return render(
        request,
        "cards/check.html",
        {"state": state, "label": CardCheck(state).label, "member": member, "photo": photo, "token": token},
    )


@login_required
def check_photo(request):
    """The photo of a card being checked: served only while the card's code verifies."""
    state, member = selectors.card_check(request.GET.get("t", ""))
    photo = selectors.approved_photo(member) if state == CardCheck.VALID else None
    if photo is None:
        raise Http404
    return _photo_response(photo)


def _photo_response(photo):
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def photo(request, pk: int):
    return _photo_response(selectors.photo_get(actor=request.user, pk=pk))


@login_required
def photos(request):
    """Photos waiting for the committee's approval, in the actor's cells."""
    rows = selectors.pending_photos(actor=request.user)
    return render(
        request,
        "cards/photos.html",
        {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "reject_form": ReasonForm()},
    )


@login_required
@require_POST
def photo_decide(request, pk: int):
    photo = selectors.photo_get(actor=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.photo_decide(actor=request.user, photo=photo, approve=approve, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The photo is approved.") if approve else _("The photo is not approved."))
    return redirect("cards:photos")


@login_required
def member_card(request, pk: int):
    """A member's card as the committee manages it: the photo (upload one for the member) and revocation."""
    member = selectors.member_for_card(actor=request.user, pk=pk)
    photo_form, revoke_form = PhotoForm(), ReasonForm()
    if request.method == "POST":
        try:
            if "photo" in request.FILES or request.POST.get("action") == "photo":
                photo_form = PhotoForm(request.POST, request.FILES)
                if photo_form.is_valid():
                    services.photo_upload(actor=request.user, member=member, upload=photo_form.cleaned_data["photo"])
                    messages.success(request, _("The photo is on the member's card."))
                    return redirect("cards:member", pk=member.pk)
            else:
                revoke_form = ReasonForm(request.POST)
                if revoke_form.is_valid():
                    services.card_revoke(actor=request.user, member=member, reason=revoke_form.cleaned_data["reason"])
                    messages.success(request, _("The card is revoked: the codes shown before no longer verify."))
                    return redirect("cards:member", pk=member.pk)
        except ValidationError as error:
            add_service_errors(photo_form, error)
    return render(
        request,
        "cards/member.html",
        {
            "member": member,
            "photo": selectors.approved_photo(member),
            "can_manage": selectors.can_manage(user=request.user, member=member),
            "photo_form": photo_form,
            "revoke_form": revoke_form,
        },
        status=400 if request.method == "POST" else 200,
    )
