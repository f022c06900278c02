import uuid

from .choices import ChangeSource
from .context import change_context


def client_ip(request) -> str | None:
    # Behind the reverse proxy the client is the first X-Forwarded-For hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None


class ChangeContextMiddleware:
    """Marks every change made during a request as coming from the web, the API or the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            source = ChangeSource.API
        elif request.path.startswith("/admin/"):
            source = ChangeSource.ADMIN
        else:
            source = ChangeSource.WEB
        request.id = uuid.uuid4()
        with change_context(source=source, request_id=request.id, ip_address=client_ip(request)):
            return self.get_response(request)
