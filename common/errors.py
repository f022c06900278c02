"""The error pages (403, 404, 500 and a refused form) in the site's layout and language.

Without these Django answers a refused page with a bare English "403 Forbidden". The 403 and 404 pages extend
base.html with the request's context (the menu of a signed-in user). The 500 page is rendered without the request
and without the database: whatever failed may be the database itself, so it needs only the static stylesheet.
"""

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _


def _error_page(request, heading: str, *paragraphs: str) -> str:
    return loader.render_to_string("error_page.html", {"heading": heading, "paragraphs": paragraphs}, request)


def page_forbidden(request, exception=None):
    # The exception's text is for the log, not for the user: it may be an internal message in English.
    content = _error_page(
        request,
        _("Not allowed"),
        _(
            "Your role does not allow this page or action. If you think it should, ask the committee office of "
            "your unit."
        ),
    )
    return HttpResponseForbidden(content)


def page_not_found(request, exception=None):
    content = _error_page(
        request,
        _("Page not found"),
        _(
            "This page does not exist, or it is outside the units you may see. Check the address, or start again "
            "from the home page."
        ),
    )
    return HttpResponseNotFound(content)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent from a page left open too long, or from before signing in again."""
    content = _error_page(
        request,
        _("The form has expired"),
        _(
            "The page was open too long, or you signed in again in another tab, so what you sent was not saved. "
            "Go back, reload the page and send it again."
        ),
        _("If it happens every time, allow cookies for this site in the browser's settings."),
    )
    return HttpResponseForbidden(content)


def server_error(request):
    try:
        content = loader.render_to_string("500.html", {})
    except Exception:  # a broken template must not hide the error page: plain text still reads
        content = _("The server had a problem. Please try again in a few minutes.")
    return HttpResponseServerError(content)
