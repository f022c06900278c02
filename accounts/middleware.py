"""Hold a signed-in user who still owes the second sign-in step at the two-factor pages."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .security.two_factor import is_verified, two_factor_required

# What a user may reach before the second step: signing in and out, the two-factor pages themselves,
# the language switch, and the files the browser fetches on its own (manifest, service worker, health).
OPEN_BEFORE_SECOND_STEP = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "set_language",
        "handbook-manifest",
        "handbook-service-worker",
        "handbook:offline",
        "health",
    }
)


class TwoFactorMiddleware:
    """Must come after django_otp's OTPMiddleware, which tells whether the session passed the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._owes_second_step(request) and not self._open_before_second_step(request.path_info):
            return self._hold(request)
        return self.get_response(request)

    @staticmethod
    def _owes_second_step(request) -> bool:
        user = request.user
        return user.is_authenticated and not is_verified(request) and two_factor_required(user)

    @staticmethod
    def _open_before_second_step(path: str) -> bool:
        try:
            return resolve(path).view_name in OPEN_BEFORE_SECOND_STEP
        except Resolver404:
            return True  # let the 404 page answer

    @staticmethod
    def _hold(request):
        if request.path_info.startswith("/api/"):
            message = _("Two-factor sign-in is required: enter the code from your authenticator app first.")
            return JsonResponse({"detail": message}, status=403)
        step = "accounts:two_factor_verify" if request.user.two_factor_enabled else "accounts:two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
