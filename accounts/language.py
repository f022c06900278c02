"""The interface language: Vietnamese unless the user chose English, whatever the browser asks for.

Django's LocaleMiddleware follows the browser's Accept-Language, so a member whose phone is set to English got
English pages they never asked for. Here the language is, in order: the one kept on the signed-in account, the one
chosen on this browser with the language switch (a cookie, for the pages before signing in), Vietnamese
(settings.LANGUAGE_CODE). Accept-Language is never read for pages; the API (/api/) follows it, since an app sends
it on purpose.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .choices import InterfaceLanguage
from .services import user_language_set


def _supported(code: str | None) -> bool:
    return code in InterfaceLanguage.values


def language_of(request) -> str:
    if request.path_info.startswith("/api/"):
        # An app calling the API states the language it wants (its own setting); no browser speaks here.
        return translation.get_language_from_request(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _supported(user.language):
        return user.language
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if _supported(chosen):
        return chosen
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Replaces django.middleware.locale.LocaleMiddleware; must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # Like Django's LocaleMiddleware, the language stays active: a streamed export renders after this returns.
        return response


@require_POST
def language_set(request):
    """The footer's language switch (in place of django.views.i18n.set_language): a signed-in user's choice is
    kept on the account; before signing in it is kept on this browser only."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if not _supported(language):
        return response
    if request.user.is_authenticated:
        try:
            user_language_set(user=request.user, language=language)
        except ValidationError:
            return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
