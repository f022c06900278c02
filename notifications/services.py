"""Writes of the notifications app: notify many users at once, deliver, mark read.

`notify` is what every other app calls. It never does the fan-out in the request: once the caller's
transaction commits, the recipients are split into batches, each written by a background task (run
eagerly when there is no broker). A batch is idempotent: retried after a fault, it skips users who
already have the notification, so the result is the same as without the fault.
"""

import dataclasses
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from common.freshness import changed, user_token
from common.queueing import enqueue

from .channels import channel_get, push_endpoint_is_allowed, reachable_user_ids
from .choices import DeliveryState
from .models import Delivery, Notification, PushSubscription
from .selectors import forget_unread_badge_count
from .sources import inbox_sources

BATCH_SIZE = 2_000
NOTIFY_BATCH_TASK = "notifications.tasks.notify_batch_task"


@dataclasses.dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str = ""
    url: str = ""
    # Empty: every call is a new notification. Set: at most one notification per user and key, ever.
    dedupe_key: str = ""
    # Outside channels besides the in-app inbox ("email", "sms", "push"), each used where the user can be reached.
    channels: tuple[str, ...] = ()
    # True: the message is in the inboxes already through an inbox source (notifications.sources), and the rows
    # written are only what its channels need: the users' pages, which count it already, are not renewed.
    is_in_inboxes_already: bool = False

    def row_for(self, user_id: int, *, created_at, read_at=None) -> Notification:
        """The user's inbox row of this message."""
        return Notification(
            user_id=user_id,
            kind=self.kind,
            title=self.title,
            body=self.body,
            url=self.url,
            dedupe_key=self.dedupe_key,
            created_at=created_at,
            read_at=read_at,
        )


def notify(*, recipients: QuerySet | Iterable[int], message: Message) -> None:
    """Put `message` in each recipient's inbox (users, or user ids), in the background once this transaction commits.

    Write titles and texts in the recipients' language (Vietnamese): they are stored as given.
    A QuerySet is read after the commit, in pages of ids, never whole into memory; for very large
    audiences call `notify` from a background task (as notices do) so that no request reads the ids.
    """
    payload = dataclasses.asdict(message)
    if isinstance(recipients, QuerySet):
        queryset = recipients.values_list("pk", flat=True).order_by("pk").distinct()

        def enqueue_batches():
            batch: list[int] = []
            for user_id in queryset.iterator(chunk_size=BATCH_SIZE):
                batch.append(user_id)
                if len(batch) == BATCH_SIZE:
                    enqueue(NOTIFY_BATCH_TASK, batch, payload)
                    batch = []
            if batch:
                enqueue(NOTIFY_BATCH_TASK, batch, payload)

    else:
        user_ids = sorted({getattr(recipient, "pk", recipient) for recipient in recipients})

        def enqueue_batches():
            for start in range(0, len(user_ids), BATCH_SIZE):
                enqueue(NOTIFY_BATCH_TASK, user_ids[start : start + BATCH_SIZE], payload)

    transaction.on_commit(enqueue_batches)


@transaction.atomic
def notify_batch(*, user_ids: list[int], message: Message) -> list[int]:
    """Write one batch of a fan-out; returns the ids of the deliveries to send. Safe to run again: run again after
    a fault, it also returns the deliveries of the earlier run that are still waiting to be sent.

    A keyed row the user has already (an inbox source wrote it when they opened their inbox, before or while this
    batch runs) is kept as it is, and still gets its deliveries while it is unread."""
    now = timezone.now()
    rows = [message.row_for(user_id, created_at=now) for user_id in user_ids]
    if message.dedupe_key:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        notifications = Notification.objects.filter(user_id__in=user_ids, dedupe_key=message.dedupe_key)
    else:
        created = Notification.objects.bulk_create(rows)
        notifications = Notification.objects.filter(pk__in=[notification.pk for notification in created])
    if not message.is_in_inboxes_already:
        changed(*(user_token(user_id) for user_id in user_ids))
    if not message.channels:
        return []
    unread = list(notifications.filter(read_at__isnull=True).select_related("user"))
    users_by_id = {notification.user_id: notification.user for notification in unread}
    reachable = {}
    for name in message.channels:
        channel = channel_get(name)
        # A channel this installation does not use (e.g. push without VAPID keys configured) reaches nobody.
        reachable[name] = reachable_user_ids(channel, list(users_by_id), users_by_id) if channel else set()
    # One delivery per row and channel (delivery_once_per_channel): a row that has one already keeps it.
    Delivery.objects.bulk_create(
        (
            Delivery(notification=notification, channel=name)
            for notification in unread
            for name in message.channels
            if notification.user_id in reachable[name]
        ),
        ignore_conflicts=True,
    )
    waiting = Delivery.objects.filter(
        notification__in=notifications, channel__in=message.channels, state=DeliveryState.PENDING
    )
    return list(waiting.order_by("pk").values_list("pk", flat=True))


def delivery_send(*, delivery: Delivery) -> Delivery:
    """Send one delivery through its channel; a failure is recorded, not raised, so a batch goes on."""
    delivery.attempts += 1
    try:
        channel_get(delivery.channel).send(delivery.notification)
    except Exception as error:  # noqa: BLE001 - any channel failure is recorded on the delivery and retried later
        delivery.state = DeliveryState.FAILED
        delivery.error = str(error)[:500]
    else:
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
    delivery.save(update_fields=["state", "attempts", "sent_at", "error"])
    return delivery


def inbox_catch_up(*, user) -> int:
    """Write the user's rows of what the inbox sources hold for them (a notice out to their unit, say): before the
    inbox is listed or marked read, so that it is one list of rows. Returns how many rows the sources meant to write
    (one written meanwhile by another request is counted, not written twice); usually none."""
    written = sum(source.catch_up(user) for source in inbox_sources())
    if written:
        # The count is the same, but its items are rows now, which keep counting after they leave their source's
        # window: what was kept of the user's rows (the unread count, the member's home) must know them.
        changed(user_token(user.pk))
    return written


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's own notifications read; returns how many changed. All: also what the inbox
    sources hold for the user without a row yet."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is None:
        inbox_catch_up(user=user)
    else:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    forget_unread_badge_count(user)
    # After the write: a request counting between the renewal and the write would keep the old count.
    changed(user_token(user.pk))
    return marked


def notification_open(*, user, notification_id: int) -> str:
    """The user opens one of their own notifications: it is marked read; returns where to go.

    Only a link within this site is followed (a path like "/notices/5/"); anything else, including
    "//elsewhere" and absolute URLs, leads back to the inbox, so a notification is never an open redirect.
    """
    notification = Notification.objects.get(user=user, pk=notification_id)  # another user's: DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread_badge_count(user)
        changed(user_token(user.pk))
    return notification.url if is_local_url(notification.url) else ""


def is_local_url(url: str) -> bool:
    return bool(url) and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


@transaction.atomic
def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record a browser's push subscription for `user` (again: the same endpoint moves to this user, new keys)."""
    if not push_endpoint_is_allowed(endpoint):
        raise ValidationError({"endpoint": _("Give the https address of a push service.")})
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint)
    subscription.user = user
    subscription.p256dh, subscription.auth = p256dh.strip(), auth.strip()
    subscription.failures = 0
    subscription.full_clean(validate_unique=False)
    subscription.save()
    return subscription


def push_unsubscribe(*, user, endpoint: str) -> int:
    """Forget one of the user's own browser subscriptions; returns how many were removed (0 or 1)."""
    removed, _by_model = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return removed
