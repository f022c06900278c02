"""What every API router shares: error bodies, limit/offset pages, and field errors named as the client sent them."""

import contextlib
from typing import Annotated

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from common.fields import LONG_TEXT_MAX_LENGTH

DEFAULT_PAGE_SIZE = 50
# The largest offset a database takes (a signed 64-bit integer); past it SQLite and PostgreSQL refuse the query.
MAX_OFFSET = 2**63 - 1

# Every integer the API takes (ids, counts, versions, in the path, the query or the body): a database column holds
# a signed 64-bit integer, and a larger value would reach it and fail as a server error instead of invalid input.
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
# Every text the API takes: the longest free text a model keeps (a field's own cap, checked by its service, is
# often lower); nothing longer is parsed, let alone stored.
TextIn = Annotated[str, Field(max_length=LONG_TEXT_MAX_LENGTH)]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field; `__all__` for the record as a whole.")


# 422: an id in the path or a query parameter that is not of its type. 400: a body that is not JSON.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
LIST_ERRORS = {401: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class PageIn(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=settings.API_PAGE_SIZE_MAX)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def page_of(queryset: QuerySet, page: PageIn) -> tuple[int, list]:
    """The total count and the rows of one page."""
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


def validation_error_body(errors: dict[str, list[str]]) -> dict:
    general = errors.get(NON_FIELD_ERRORS)
    detail = " ".join(general) if general else _("Some values are not valid: see the errors for each field.")
    return {"detail": detail, "errors": errors}


def validation_error_messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


@contextlib.contextmanager
def fields_named(names: dict[str, str]):
    """Report the services' field errors under the names the API takes (`unit` → `unit_code`)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): messages for field, messages in error.error_dict.items()}
        ) from error
