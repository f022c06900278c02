"""The account's security page: two-factor sign-in, recovery codes, password, API tokens, signing out everywhere."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.views import add_service_errors

from ..choices import InterfaceLanguage
from ..forms import DevicePinForm, SecondStepForm
from ..selectors import user_api_tokens
from ..services import api_token_revoke, password_change
from .device_pin import DEVICE_COOKIE, cookie_options, device_pin_set, device_pin_users
from .two_factor import (
    is_verified,
    recovery_codes_left,
    recovery_codes_renew,
    sign_out_everywhere,
    totp_device_confirm,
    totp_pending_device,
    totp_qr_data_uri,
    totp_secret_text,
    two_factor_check,
    two_factor_mandatory,
    two_factor_required,
    two_factor_sign_in,
    two_factor_turn_off,
)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False)
    return candidate if allowed else reverse_lazy("accounts:home")


def _require_second_step_passed(request):
    """Changing two-factor settings needs a session that has passed the second step, if one is set up."""
    if request.user.two_factor_enabled and not is_verified(request):
        return redirect(f"{reverse_lazy('accounts:two_factor_verify')}?next={request.path}")
    return None


@login_required
def security(request):
    context = {
        "pin_users": device_pin_users(device_key=request.COOKIES.get(DEVICE_COOKIE, "")),
        "pin_allowed": not two_factor_required(request.user),
        "mandatory": two_factor_mandatory(request.user),
        "recovery_codes_left": recovery_codes_left(user=request.user),
        "api_tokens": user_api_tokens(user=request.user),
        "api_token_lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
        "now": timezone.now(),
        "language_choices": InterfaceLanguage.choices,
        "chosen_language": request.LANGUAGE_CODE,
    }
    return render(request, "accounts/security.html", context)


@login_required
def two_factor_setup(request):
    held = _require_second_step_passed(request)
    if held:
        return held
    device = totp_pending_device(user=request.user)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_device_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            device.refresh_from_db()
            two_factor_sign_in(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    context = {
        "form": form,
        "qr": totp_qr_data_uri(device),
        "secret": totp_secret_text(device),
        "mandatory": two_factor_mandatory(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    if not request.user.two_factor_enabled:
        return redirect(_next_url(request))
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_check(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if device is None:
                form.add_error("code", _("That code is not right."))
            else:
                two_factor_sign_in(request, device)
                if device.persistent_id.startswith("otp_static"):
                    left = recovery_codes_left(user=request.user)
                    messages.warning(
                        request, _("You used a recovery code. Recovery codes left: %(left)s.") % {"left": left}
                    )
                return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def recovery_codes_new(request):
    held = _require_second_step_passed(request)
    if held:
        return held
    try:
        codes = recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse_lazy("accounts:security")})


@login_required
@require_POST
def two_factor_off(request):
    held = _require_second_step_passed(request)
    if held:
        return held
    try:
        two_factor_turn_off(actor=request.user, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:security")


@login_required
def device_pin(request):
    """Choose a PIN for signing in on this phone (the page is reached signed in, so with the password)."""
    device_key = request.COOKIES.get(DEVICE_COOKIE, "")
    form = DevicePinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _entry, device_key = device_pin_set(user=request.user, device_key=device_key, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Next time on this phone, sign in with your PIN."))
            response = redirect("accounts:security")
            response.set_cookie(DEVICE_COOKIE, device_key, **cookie_options())
            return response
    return render(request, "accounts/device_pin.html", {"form": form})


@login_required
@require_POST
def sign_out_elsewhere(request):
    """End every other session and every API token; this browser stays signed in."""
    user = sign_out_everywhere(
        actor=request.user, user=request.user, keep_device_key=request.COOKIES.get(DEVICE_COOKIE, "")
    )
    update_session_auth_hash(request, user)
    messages.success(request, _("You are signed out on every other device, and your API tokens no longer work."))
    return redirect("accounts:security")


@login_required
@require_POST
def api_token_revoke_view(request):
    """Revoke one of the user's own tokens (named by the form's `token`); another user's token is not found."""
    token_id = request.POST.get("token", "")
    token = get_object_or_404(user_api_tokens(user=request.user), pk=token_id if token_id.isdigit() else None)
    api_token_revoke(actor=request.user, token=token, reason=_("Revoked by its owner"))
    messages.success(request, _("The API token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:security")


class PasswordChange(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    title = gettext_lazy("Change password")

    def form_valid(self, form):
        user = password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)  # this browser stays signed in
        messages.success(self.request, _("Your password is changed. Other devices must sign in again."))
        return redirect(self.success_url)
