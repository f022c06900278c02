"""Notices over the API: the same selectors and services as the pages."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from accounts.choices import RoleKind
from common.api import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut, Int64, PageIn, TextIn, fields_named, page_of

from . import selectors, services
from .choices import NoticeKind
from .models import Notice

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: NoticeKind = Field(description="notice: sent to the inboxes; news: listed, and the latest on the home.")
    unit_code: str
    unit_name: str
    title: str
    summary: str
    body: str
    picture_url: str | None = Field(description="A news item's picture (for whoever may read the item).")
    roles: list[str] = Field(description="The roles it is for; empty: everyone in the unit's subtree.")
    publish_at: datetime.datetime
    is_published: bool
    withdrawn_at: datetime.datetime | None

    @staticmethod
    def resolve_unit_code(notice: Notice) -> str:
        return notice.unit.code

    @staticmethod
    def resolve_unit_name(notice: Notice) -> str:
        return notice.unit.name

    @staticmethod
    def resolve_roles(notice: Notice) -> list[str]:
        return selectors.notice_roles(notice)

    @staticmethod
    def resolve_picture_url(notice: Notice) -> str | None:
        return reverse("notices:picture", args=[notice.pk]) if notice.picture else None


class NoticeListItemOut(NoticeOut):
    is_read: bool


class NoticePageOut(Schema):
    count: int
    items: list[NoticeListItemOut]


class NoticeKindIn(Schema):
    kind: NoticeKind = NoticeKind.NOTICE


@router.get(
    "", response={200: NoticePageOut, **LIST_ERRORS}, summary="Notices (or news items) the user received or oversees"
)
def notice_list(request, page: Query[PageIn], kind: Query[NoticeKindIn]):
    notices = selectors.notice_list(actor=request.auth, kind=kind.kind).prefetch_related("audience")
    count, items = page_of(notices, page)
    return {"count": count, "items": items}


ROLES_HELP = "Only for these roles (" + ", ".join(RoleKind.values) + "); empty: everyone in the unit's subtree."


class NoticeIn(Schema):
    unit_code: TextIn
    title: TextIn = Field(min_length=1, max_length=200)
    body: TextIn = Field(min_length=1)
    roles: list[TextIn] = Field(default_factory=list, description=ROLES_HELP)
    publish_at: datetime.datetime | None = Field(None, description="Later: scheduled. Empty or past: now.")


@router.post("", response={201: NoticeOut, **WRITE_ERRORS}, summary="Issue a notice to a unit's subtree")
def notice_create(request, body: NoticeIn):
    unit = get_object_or_404(selectors.publishing_units(request.auth), code=body.unit_code)
    with fields_named({"unit": "unit_code"}):
        notice = services.notice_create(
            actor=request.auth,
            unit=unit,
            title=body.title,
            body=body.body,
            roles=body.roles,
            publish_at=body.publish_at,
        )
    return Status(201, notice)


class NewsIn(Schema):
    unit_code: TextIn
    title: TextIn = Field(min_length=1, max_length=200)
    summary: TextIn = Field("", max_length=300)
    body: TextIn = Field(min_length=1)
    publish_at: datetime.datetime | None = Field(None, description="Later: scheduled. Empty or past: now.")


@router.post("/news", response={201: NoticeOut, **WRITE_ERRORS}, summary="Publish a news item to a unit's subtree")
def news_create(request, news: Form[NewsIn], picture: File[UploadedFile | None] = None):
    """A multipart form; `picture` a JPEG, PNG or WebP file of up to 2 MB (checked by its content, not its name)."""
    unit = get_object_or_404(selectors.publishing_units(request.auth), code=news.unit_code)
    with fields_named({"unit": "unit_code"}):
        created = services.news_create(
            actor=request.auth,
            unit=unit,
            title=news.title,
            summary=news.summary,
            body=news.body,
            picture=picture,
            publish_at=news.publish_at,
        )
    return Status(201, created)


class NoticeDetailOut(NoticeOut):
    is_recipient: bool


@router.get(
    "/{notice_id}", response={200: NoticeDetailOut, **READ_ERRORS}, summary="One notice; opening it is reading it"
)
def notice_detail(request, notice_id: Int64):
    """For a recipient this records the read receipt (and marks its inbox entry read)."""
    notice = selectors.notice_get(actor=request.auth, pk=notice_id)
    notice.is_recipient = services.notice_read_record(user=request.auth, notice=notice)
    return notice


# Not "ReadRateOut": library/api.py has one, and the OpenAPI document keeps one schema per class name.
class NoticeReadRateOut(Schema):
    unit_code: str
    unit_name: str
    recipients: int
    read: int
    percent: Decimal | None
    counted_at: datetime.datetime = Field(description="When these figures were counted.")

    @classmethod
    def from_counted(cls, rate: selectors.ReadRate, counted_at: datetime.datetime) -> "NoticeReadRateOut":
        return cls(
            unit_code=rate.unit.code,
            unit_name=rate.unit.name,
            recipients=rate.recipients,
            read=rate.read,
            percent=rate.percent,
            counted_at=counted_at,
        )


@router.get(
    "/{notice_id}/read-rate",
    response={200: list[NoticeReadRateOut], 202: ErrorOut, **READ_ERRORS},
    summary="Read rate of the issuing unit, then of each child unit",
)
def notice_read_rate(request, notice_id: Int64):
    """The counts as last counted (`counted_at`), at most a minute old when a count has finished since: a new one is
    counted in the background when the last is older. 202 while the notice's first count runs: ask again later."""
    notice = selectors.notice_get(actor=request.auth, pk=notice_id)
    if not selectors.can_oversee(request.auth, notice):
        raise Notice.DoesNotExist
    counted = selectors.notice_read_rates_recent(notice)
    if counted is None:
        return Status(202, {"detail": _("The read rate is being counted: ask again in a minute.")})
    return [NoticeReadRateOut.from_counted(rate, counted.counted_at) for rate in counted.rates]


class WithdrawIn(Schema):
    reason: TextIn = ""


@router.post("/{notice_id}/withdraw", response={200: NoticeOut, **WRITE_ERRORS}, summary="Withdraw a notice")
def notice_withdraw(request, notice_id: Int64, body: WithdrawIn):
    notice = selectors.notice_get(actor=request.auth, pk=notice_id)
    return services.notice_withdraw(actor=request.auth, notice=notice, reason=body.reason)
