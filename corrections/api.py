"""Correction requests over the API: the member's requests and new ones, the officials' queue and decisions."""

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from accounts.models import User
from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Int64, PageIn, TextIn, page_of
from common.dates import today
from members.models import Member
from members.selectors import member_get
from orgunits.models import AdminArea, Unit

from . import selectors, services
from .choices import Decision, RequestState, Section
from .display import describe

router = Router(tags=["corrections"])


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    url: str = Field(description="Served only to the member, the uploader and the officials who decide on the member.")

    @staticmethod
    def resolve_url(attachment) -> str:
        return reverse("corrections:attachment", args=[attachment.pk])


class RequestOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(alias="member.full_name")
    field_name: str
    field_label: str = Field(alias="label")
    old_value: Any = Field(description="As stored: dates in ISO form, cells and villages by id.")
    new_value: Any
    old_display: str
    new_display: str
    state: RequestState
    level: str
    assigned_unit_code: str | None
    due_on: datetime.date | None
    is_transfer: bool
    reason: str
    decision_reason: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    attachments: list[AttachmentOut] = Field(description="Supporting papers (JPEG, PNG, PDF) sent with the request.")

    @staticmethod
    def resolve_attachments(request) -> list:
        return list(request.attachments.all())

    @staticmethod
    def resolve_assigned_unit_code(request) -> str | None:
        return request.assigned_unit.code if request.assigned_unit_id else None


class RequestPage(Schema):
    count: int
    items: list[RequestOut]


class RequestFilter(Schema):
    member_id: Int64 | None = None
    state: RequestState | None = None


class QueueFilter(Schema):
    state: RequestState | None = Field(None, description="Default: every open state.")
    field: TextIn = ""
    overdue: bool = False


class RequestIn(Schema):
    member_id: Int64
    changes: dict[str, Any] = Field(
        description="New values by field name: dates as YYYY-MM-DD, `unit` as a cell code, `residence_area` as an area code."
    )
    reason: TextIn


class DecisionIn(Schema):
    decision: Decision
    reason: TextIn = ""


class VerifyIn(Schema):
    sections: list[Section]


class VerificationOut(Schema):
    section: str
    verified_on: datetime.date


def _parse_changes(changes: dict) -> dict:
    """The values as the member edit form would read them (the same model form fields)."""
    parsed, errors = {}, {}
    for name, raw in changes.items():
        try:
            field = Member._meta.get_field(name)
        except Exception:
            errors[name] = [_("Not a field of the member record.")]
            continue
        if field.is_relation:
            model = Unit if name == "unit" else AdminArea
            found = model.objects.filter(code=raw).first() if raw else None
            if raw and found is None:
                errors[name] = [_("No unit or area has this code.")]
            parsed[name] = found
            continue
        try:
            parsed[name] = field.formfield(required=False).clean(raw)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return parsed


def _out(requests) -> list:
    requests = list(requests)
    prefetch_related_objects(requests, "attachments")  # one query for the page's papers
    return describe(requests)


@router.get("/requests", response={200: RequestPage, **LIST_ERRORS}, summary="Correction requests I may see")
def request_list_view(request, filters: Query[RequestFilter], page: Query[PageIn]):
    requests = selectors.requests_visible_to(request.auth).select_related("member", "assigned_unit")
    if filters.member_id:
        requests = requests.filter(member_id=filters.member_id)
    if filters.state:
        requests = requests.filter(state=filters.state)
    count, items = page_of(requests.order_by("-created_at", "-id"), page)
    return {"count": count, "items": _out(items)}


def _created(actor: User, created) -> Status:
    created_ids = [item.pk for item in created]
    visible = selectors.requests_visible_to(actor).filter(pk__in=created_ids).select_related("member", "assigned_unit")
    return Status(201, _out(visible.order_by("id")))


@router.post("/requests", response={201: list[RequestOut], **WRITE_ERRORS}, summary="Ask for a correction")
def request_create_view(request, payload: RequestIn):
    actor = request.auth
    member = member_get(actor=actor, pk=payload.member_id)
    created = services.correction_request_create(
        actor=actor, member=member, changes=_parse_changes(payload.changes), reason=payload.reason
    )
    return _created(actor, created)


@router.post(
    "/requests/with-papers",
    response={201: list[RequestOut], **WRITE_ERRORS},
    summary="Ask for a correction, with photos of supporting papers",
)
def request_create_with_papers_view(
    request,
    member_id: Form[Int64],
    changes: Form[TextIn],
    reason: Form[TextIn],
    attachments: File[list[UploadedFile]],
):
    """A multipart form: `changes` as JSON text (as in `POST /requests`), `attachments` one to five JPEG, PNG or PDF
    files (checked by their content, not their names; size-limited)."""
    actor = request.auth
    try:
        parsed = json.loads(changes)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ValidationError({"changes": _("Give the new values as a JSON object, by field name.")})
    member = member_get(actor=actor, pk=member_id)
    created = services.correction_request_create(
        actor=actor, member=member, changes=_parse_changes(parsed), reason=reason, attachments=attachments
    )
    return _created(actor, created)


@router.get("/requests/{request_id}", response={200: RequestOut, **READ_ERRORS}, summary="Read a correction request")
def request_detail_view(request, request_id: Int64):
    return _out([selectors.request_get(actor=request.auth, pk=request_id)])[0]


@router.post(
    "/requests/{request_id}/decide",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Confirm, forward, approve or reject",
    description="Approving a request whose field changed since it was made answers 200 with state `conflict`: decide again.",
)
def request_decide_view(request, request_id: Int64, payload: DecisionIn):
    actor = request.auth
    item = selectors.request_get(actor=actor, pk=request_id)
    services.correction_request_decide(actor=actor, request=item, decision=payload.decision, reason=payload.reason)
    return _out([selectors.request_get(actor=actor, pk=request_id)])[0]


@router.get("/queue", response={200: RequestPage, **LIST_ERRORS}, summary="Requests waiting for my units")
def queue_view(request, filters: Query[QueueFilter], page: Query[PageIn]):
    requests = selectors.queue(
        actor=request.auth, state=filters.state or "", field=filters.field, overdue=filters.overdue, day=today()
    )
    count, items = page_of(requests, page)
    return {"count": count, "items": _out(items)}


@router.post(
    "/members/{member_id}/verify",
    response={200: list[VerificationOut], **WRITE_ERRORS},
    summary="Say sections of a record are correct",
)
def verify_view(request, member_id: Int64, payload: VerifyIn):
    actor = request.auth
    member = member_get(actor=actor, pk=member_id)
    return services.record_verify(actor=actor, member=member, sections=[str(section) for section in payload.sections])
