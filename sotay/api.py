"""The JSON API: one NinjaAPI, one router per app, and the one place where errors become responses."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import django_auth

from accounts.api import ApiTokenAuth
from accounts.api import router as auth_router
from admission.api import router as admission_router
from cards.api import router as cards_router
from common.api import validation_error_body, validation_error_messages
from corrections.api import router as corrections_router
from dues.api import router as dues_router
from guide.api import router as guide_router
from handbook.api import router as handbook_router
from library.api import router as library_router
from meetings.api import router as meetings_router
from members.api import router as members_router
from members.importing.api import router as imports_router
from notices.api import router as notices_router
from notifications.api import router as notifications_router
from orgunits.api import organisations_router
from orgunits.api import router as units_router
from questions.api import router as questions_router
from rating.api import router as rating_router
from reports.api import router as reports_router
from residence.api import router as residence_router
from rollout.api import router as rollout_router
from study.api import router as study_router
from transfers.api import router as transfers_router

api = NinjaAPI(
    title="Sổ tay API",
    version="1",
    description="The party units and member records a user may see, read and change under the same rules as the pages.",
    urls_namespace="api",
    # A bearer token from POST /api/auth/token, or the browser's session (with its CSRF token for writes).
    auth=[ApiTokenAuth(), django_auth],
)
api.add_router("/units", units_router)
api.add_router("/organisations", organisations_router)
api.add_router("/members", members_router)
api.add_router("/imports", imports_router)
api.add_router("/auth", auth_router)
api.add_router("/corrections", corrections_router)
api.add_router("/rollout", rollout_router)
api.add_router("/notifications", notifications_router)
api.add_router("/notices", notices_router)
api.add_router("/library", library_router)
api.add_router("/meetings", meetings_router)
api.add_router("/dues", dues_router)
api.add_router("/rating", rating_router)
api.add_router("/transfers", transfers_router)
api.add_router("/cards", cards_router)
api.add_router("/residence", residence_router)
api.add_router("/guide", guide_router)
api.add_router("/study", study_router)
api.add_router("/admission", admission_router)
api.add_router("/questions", questions_router)
api.add_router("/reports", reports_router)
api.add_router("/handbook", handbook_router)


@api.exception_handler(ValidationError)
def service_validation_error(request, error):
    return api.create_response(request, validation_error_body(validation_error_messages(error)), status=422)


@api.exception_handler(RequestValidationError)
def request_validation_error(request, error):
    """Malformed input gets the same body as a rule a service refused: messages by field."""
    errors: dict[str, list[str]] = {}
    for problem in error.errors:
        # An item of a list is reported under the list's name ("ids"), not its position.
        field = next((part for part in reversed(problem["loc"]) if isinstance(part, str)), problem["loc"][-1])
        errors.setdefault(str(field), []).append(problem["msg"])
    return api.create_response(request, validation_error_body(errors), status=422)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, error):
    return api.create_response(
        request, {"detail": _("Sign in, or send an API token as “Authorization: Bearer <token>”.")}, status=401
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request, error):
    return api.create_response(request, {"detail": str(error) or _("You do not have permission for this.")}, status=403)


# Outside the caller's scope is "not found" too: such a record does not exist for them.
@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request, error):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
