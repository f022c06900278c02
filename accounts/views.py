from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .choices import Permission
from .forms import PinSignInForm, SignInForm
from .scoping import granted_unit_paths
from .security.device_pin import DEVICE_COOKIE, device_pin_sign_in, device_pin_users
from .services import account_used


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # On a phone where members chose a PIN, they pick their name and type it instead of a password.
        users = device_pin_users(device_key=self.request.COOKIES.get(DEVICE_COOKIE, ""))
        return super().get_context_data(pin_users=users, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # First and last use feed the rollout's "activated but not using the app" worklist.
        account_used(user=form.get_user())
        return response


@require_POST
def pin_sign_in(request):
    form = PinSignInForm(request.POST)
    error = _("Type the 6 digits of your PIN.")
    if form.is_valid():
        try:
            user = device_pin_sign_in(
                device_key=request.COOKIES.get(DEVICE_COOKIE, ""),
                user_id=form.cleaned_data["user"],
                pin=form.cleaned_data["pin"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            login(request, user, backend="accounts.backends.IdentifierBackend")
            account_used(user=user)
            next_url = request.POST.get("next", "")
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if safe and next_url else "accounts:home")
    messages.error(request, error)
    return redirect("accounts:login")


@login_required
def home(request):
    """Officials start at what needs doing today in their units; a member starts at their handbook home."""
    if granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        return redirect("handbook:today")
    return redirect("handbook:home")
