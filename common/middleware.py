"""Security headers Django 5.2 does not set itself: a strict Content-Security-Policy and a Permissions-Policy.

Every script and stylesheet is a file of ours served from our origin (no CDN, no inline code), so the
policy can refuse everything else; a page injected with markup still cannot run script or send data away.
"""

from django.conf import settings


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
