"""What every page view shares: sign-in required, and a service's ValidationError shown on the form."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView

T = TypeVar("T")


def service_action(request, perform: Callable[[], T], *, success: str | Callable[[T], str] = "", to: str, **to_kwargs):
    """A button's POST handed to one service call, then back to the page `to` (a URL name and its arguments,
    as `redirect` takes them): the service's ValidationError is shown as an error message, its success as
    `success` (a text, or made from what the service returned; none when empty). PermissionDenied is left to
    Django (403)."""
    try:
        result = perform()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
    return redirect(to, **to_kwargs)


def form_service(
    request,
    form: Form,
    perform: Callable[[dict], T],
    *,
    success: str | Callable[[T], str] = "",
    to: str | Callable[[T], str],
    **to_kwargs,
) -> HttpResponse | None:
    """A page's form handed to one service call when it is posted and valid: the service's ValidationError goes
    beside the fields it names and None is returned (the view shows the page again); on success, the message
    `success` (a text, or made from what the service returned) and a redirect to `to` (a URL name with
    `to_kwargs`, or made from what the service returned). PermissionDenied is left to Django (403)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = perform(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return redirect(to(result) if callable(to) else to, **to_kwargs)


def key_from(text) -> int:
    """A row's key posted in a form or a query, or 404: also a number no database column holds (past 64 bits)."""
    try:
        key = int(text)
    except (TypeError, ValueError):
        raise Http404 from None
    if not -(2**63) <= key < 2**63:
        raise Http404
    return key


def is_kept_ahead(request) -> bool:
    """The phone's service worker fetching a page to keep for offline before the user opens it (sw.js, 'keep'):
    nobody reads it yet, so nothing that counts reading may be recorded."""
    return request.headers.get("X-Sotay-Keep") == "1"


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's messages beside the fields they name; the rest go on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def refusal_messages(request, error: ValidationError, summary: str) -> None:
    """A refused import as messages: the summary, and each part that names no row (a page lists the rows)."""
    messages.error(request, summary)
    for part in error.error_list if not hasattr(error, "error_dict") else [error]:
        if "row" not in (getattr(part, "params", None) or {}):
            messages.error(request, " ".join(part.messages))


class ServiceFormView(LoginRequiredMixin, FormView):
    """A page whose valid form is handed to one service call.

    Subclasses implement `perform(form)`, which calls the service and returns the changed object,
    and `success_url_for(result)`; `success_message` may name the object as %(name)s.
    PermissionDenied from the service is left to Django (403).
    """

    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        # Unauthenticated requests fall through to LoginRequiredMixin, which sends them to sign in.
        if request.user.is_authenticated:
            self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Fetch what the URL names through the selectors: 404 outside scope, 403 without the permission."""

    def perform(self, form):
        raise NotImplementedError

    def success_url_for(self, result) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": result})
        return redirect(self.success_url_for(result))


def health(request):
    """Liveness for the reverse proxy and load balancer: the process answers; no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
