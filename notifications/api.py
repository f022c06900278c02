"""The signed-in user's own inbox and Web Push subscriptions over the API (the same selectors and services as the pages)."""

import datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from common.api import LIST_ERRORS, WRITE_ERRORS, ErrorOut, Int64, PageIn, TextIn, page_of

from . import selectors, services
from .channels import push_enabled

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class InboxIn(PageIn):
    unread_only: bool = False


@router.get(
    "",
    response={200: NotificationPageOut, **LIST_ERRORS},
    summary="The signed-in user's notifications, unread first, newest first",
)
def notification_list(request, filters: Query[InboxIn]):
    services.inbox_catch_up(user=request.auth)
    count, items = page_of(selectors.inbox_for(user=request.auth, unread_only=filters.unread_only), filters)
    return {"count": count, "unread": selectors.unread_count_kept(user=request.auth), "items": items}


class UnreadOut(Schema):
    unread: int


@router.get("/unread-count", response={200: UnreadOut, 401: ErrorOut}, summary="How many notifications are unread")
def notification_unread_count(request):
    return {"unread": selectors.unread_count_kept(user=request.auth)}


class MarkReadIn(Schema):
    ids: list[Int64] | None = Field(None, description="The notifications to mark read; leave out to mark all read.")


class MarkedOut(Schema):
    marked: int
    unread: int


@router.post("/read", response={200: MarkedOut, **WRITE_ERRORS}, summary="Mark some or all of one's notifications read")
def notification_mark_read(request, body: MarkReadIn):
    """Ids of other users' notifications are ignored."""
    marked = services.notifications_mark_read(user=request.auth, ids=body.ids)
    return {"marked": marked, "unread": selectors.unread_count_kept(user=request.auth)}


class PushKeyOut(Schema):
    enabled: bool
    public_key: str = Field(description="The VAPID public key, for PushManager.subscribe's applicationServerKey.")


@router.get(
    "/push/key", response={200: PushKeyOut, 401: ErrorOut}, summary="Whether Web Push is on, and its public key"
)
def push_key(request):
    enabled = push_enabled()
    return {"enabled": enabled, "public_key": settings.VAPID_PUBLIC_KEY if enabled else ""}


class PushKeysIn(Schema):
    p256dh: TextIn = Field(min_length=1, max_length=200)
    auth: TextIn = Field(min_length=1, max_length=100)


class PushSubscriptionIn(Schema):
    """The browser's PushSubscription.toJSON(), as it comes."""

    endpoint: TextIn = Field(min_length=1, max_length=1000)
    keys: PushKeysIn


class PushSubscriptionOut(Schema):
    endpoint: str
    created_at: datetime.datetime


@router.post(
    "/push/subscriptions",
    response={201: PushSubscriptionOut, **WRITE_ERRORS},
    summary="Subscribe this browser to Web Push for the signed-in user",
)
def push_subscribe(request, body: PushSubscriptionIn):
    subscription = services.push_subscribe(
        user=request.auth, endpoint=body.endpoint, p256dh=body.keys.p256dh, auth=body.keys.auth
    )
    return Status(201, subscription)


class PushUnsubscribeIn(Schema):
    endpoint: TextIn = Field(min_length=1, max_length=1000)


class RemovedOut(Schema):
    removed: int


@router.post(
    "/push/unsubscribe",
    response={200: RemovedOut, **WRITE_ERRORS},
    summary="Stop Web Push to this browser (one of the signed-in user's own subscriptions)",
)
def push_unsubscribe(request, body: PushUnsubscribeIn):
    return {"removed": services.push_unsubscribe(user=request.auth, endpoint=body.endpoint)}
