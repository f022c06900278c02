"""Security headers Django 5.2 does not set itself (a strict Content-Security-Policy and a Permissions-Policy), and
the refusal of NUL characters in requests.

Every script and stylesheet is a file of ours served from our origin (no CDN, no inline code), so the
policy can refuse everything else; a page injected with markup still cannot run script or send data away.
"""

import re

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _policy_header(directives: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.content_security_policy = _policy_header(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.content_security_policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


# A JSON string escape for the NUL character, not preceded by a backslash that would make it literal text.
_JSON_NUL = re.compile(rb"(?<!\\)\\u0000", re.IGNORECASE)


class NullCharacterMiddleware:
    """Refuse a NUL character anywhere in the path, the query string or a JSON body, before any view runs.

    No text of ours may hold one and PostgreSQL refuses it even inside a query, so a NUL would otherwise end in
    a server error wherever a value is looked up unvalidated. Django's form fields refuse it already (forms);
    this covers URLs, query parameters and the API's JSON bodies, answered with 422 as the API documents.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            message = _("Text cannot contain the NUL character.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {}}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return True
        if request.content_type == "application/json":
            body = request.body
            return b"\x00" in body or bool(_JSON_NUL.search(body))
        return False
