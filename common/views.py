"""What every page view shares: sign-in required, and a service's ValidationError shown on the form."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView


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
