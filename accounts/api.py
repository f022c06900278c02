"""API authentication: bearer tokens obtained with a password, or the browser's session."""

import datetime

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBearer

from common.api import ErrorOut, Int64, TextIn, ValidationErrorOut

from .security.two_factor import two_factor_check, two_factor_required
from .selectors import user_active_roles, user_api_tokens
from .services import ApiTokenRefused, account_used, api_token_authenticate, api_token_create, api_token_revoke


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            return api_token_authenticate(token)
        except ApiTokenRefused as refused:
            # Say why, rather than the generic "sign in" answer, so the client knows to obtain a new token.
            raise HttpError(401, str(refused)) from refused


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150, description="Username, phone number or citizen ID.")
    password: TextIn
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. the device.")
    otp_code: str = Field(
        "",
        max_length=20,
        description="The code from the authenticator app (or a recovery code): required for users with "
        "two-factor sign-in, which committee roles must have.",
    )


class TokenOut(Schema):
    token: str
    prefix: str
    name: str
    created_at: datetime.datetime
    expires_at: datetime.datetime


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to tell tokens apart.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    second_factor: bool = Field(description="Issued after the second sign-in step.")


class RoleOut(Schema):
    role: str
    role_label: str
    unit_code: str
    unit_name: str

    @staticmethod
    def resolve_role_label(assignment) -> str:
        return assignment.get_role_display()

    @staticmethod
    def resolve_unit_code(assignment) -> str:
        return assignment.unit.code

    @staticmethod
    def resolve_unit_name(assignment) -> str:
        return assignment.unit.name


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    member_id: int | None
    roles: list[RoleOut]


@router.post(
    "/token",
    auth=None,
    response={201: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Obtain an API token",
)
def token_obtain(request, payload: TokenIn):
    """Exchange a username (or phone number, or citizen ID) and password for a token. The token is shown once."""
    # Through django.contrib.auth with the request, so django-axes counts failures and locks the identifier out.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": _("The username or password is not correct.")})
    if two_factor_required(user):
        if not user.two_factor_enabled:
            message = _("Your role requires two-factor sign-in. Set it up on the Account security page first.")
            return Status(403, {"detail": message})
        try:
            device = two_factor_check(user=user, code=payload.otp_code)
        except ValidationError as error:
            return Status(429, {"detail": " ".join(error.messages)})
        if device is None:
            return Status(401, {"detail": _("The two-factor code is missing or not right.")})
    # Obtaining a token is a sign-in: record it as one (last login; axes clears the failures counted so far).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    account_used(user=user)
    token, key = api_token_create(user=user, name=payload.name, second_factor=two_factor_required(user))
    return Status(
        201,
        {
            "token": key,
            "prefix": token.prefix,
            "name": token.name,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
    )


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "member_id": user.member_id,
        "roles": list(user_active_roles(user=user)),
    }


@router.get("/tokens", response={200: list[TokenInfoOut], 401: ErrorOut}, summary="The signed-in user's API tokens")
def tokens_list(request):
    """Every token of the signed-in user, newest first, revoked and expired ones included."""
    return list(user_api_tokens(user=request.auth))


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenInfoOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Revoke one of the signed-in user's API tokens",
)
def token_revoke(request, token_id: Int64):
    """The token stops working at once; revoking a revoked token changes nothing. Another user's token is not found."""
    token = user_api_tokens(user=request.auth).get(pk=token_id)
    return api_token_revoke(actor=request.auth, token=token, reason=_("Revoked by its owner"))
