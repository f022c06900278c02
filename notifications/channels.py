"""Outside delivery channels behind one interface. The in-app inbox needs none: it is the Notification row.

A channel is a class with a `name`, `wants(user) -> bool` (the user can be reached this way),
`reachable_users() -> Q` (the same question as a filter on users, to pick a fan-out's recipients in the database)
and `send(notification) -> None` (raises on failure). It may also have `reachable(user_ids) -> set[int]`, the
same question for a whole batch in one query. `NOTIFICATION_CHANNELS` lists the dotted paths in use.
"""

import functools
import ipaddress
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.sms import sms_send

logger = logging.getLogger("sotay.notifications")


class EmailChannel:
    name = "email"

    def wants(self, user) -> bool:
        return bool(user.email)

    def reachable_users(self) -> Q:
        return Q(email__gt="")

    def send(self, notification) -> None:
        text = "\n\n".join(part for part in (notification.body, _absolute(notification.url)) if part)
        send_mail(notification.title, text, None, [notification.user.email])


class SmsChannel:
    """Through accounts.sms's gateway. Text messages cost money: callers ask for SMS only where it matters."""

    name = "sms"

    def wants(self, user) -> bool:
        return bool(user.phone)

    def reachable_users(self) -> Q:
        return Q(phone__gt="")  # null or empty: no phone

    def send(self, notification) -> None:
        sms_send(phone=notification.user.phone, text=f"Sổ tay: {notification.title}")


def push_enabled() -> bool:
    """Web Push works only with a VAPID key pair configured; without one the channel reaches nobody."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


class PushGone(Exception):
    """Every subscription of the user was dropped by its push service (or there was none left)."""


class WebPushChannel:
    """Web Push (VAPID, pywebpush) to every browser the user subscribed.

    The payload is JSON: {"title": ..., "body": ..., "url": ...}; `url` is the site-relative link to open
    (the service worker opens it on the same origin). A 404/410 from the push service deletes that
    subscription; any other failure counts on the subscription and is raised, so the Delivery records it.
    """

    name = "push"
    # Seconds a push service keeps an undelivered message for a phone that is off.
    TTL = 24 * 3600

    def wants(self, user) -> bool:
        return push_enabled() and user.push_subscriptions.exists()

    def reachable_users(self) -> Q:
        from .models import PushSubscription

        if not push_enabled():
            return Q(pk__in=[])
        return Q(Exists(PushSubscription.objects.filter(user=OuterRef("pk"))))

    def reachable(self, user_ids) -> set[int]:
        from .models import PushSubscription

        if not push_enabled():
            return set()
        return set(PushSubscription.objects.filter(user_id__in=list(user_ids)).values_list("user_id", flat=True))

    def payload(self, notification) -> str:
        return json.dumps(
            {"title": notification.title, "body": notification.body, "url": notification.url}, ensure_ascii=False
        )

    def send(self, notification) -> None:
        from pywebpush import WebPushException, webpush

        from .models import PushSubscription

        data = self.payload(notification)
        errors, sent = [], 0
        for subscription in PushSubscription.objects.filter(user_id=notification.user_id):
            try:
                webpush(
                    subscription_info=subscription.as_subscription_info(),
                    data=data,
                    vapid_private_key=settings.VAPID_PRIVATE_KEY,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=self.TTL,
                    timeout=10,
                )
            except WebPushException as error:
                if error.status_code in (404, 410):
                    logger.info("Push subscription %s is gone (%s): deleted", subscription.pk, error.status_code)
                    subscription.delete()
                    continue
                errors.append(f"{error.status_code or ''} {error.message}".strip())
                PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
            except Exception as error:  # noqa: BLE001 - a network fault on one browser must not stop the others
                errors.append(str(error))
                PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
            else:
                sent += 1
                PushSubscription.objects.filter(pk=subscription.pk).update(failures=0, last_success_at=timezone.now())
        if errors and not sent:
            raise ConnectionError("; ".join(errors))
        if not sent:
            raise PushGone("no push subscription left")


def push_endpoint_is_allowed(endpoint: str) -> bool:
    """Only https endpoints on a named public host: the server POSTs to them, so no internal addresses."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host == "localhost" or host.endswith((".localhost", ".local")):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    return False


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


@functools.cache
def channels() -> list:
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]


def channel_get(name: str):
    """The configured channel called `name`, or None when it is not in NOTIFICATION_CHANNELS."""
    return next((channel for channel in channels() if channel.name == name), None)


def reachable_users_q(names: tuple[str, ...]) -> Q:
    """A filter on users whom at least one of these channels can reach (a channel not configured reaches nobody)."""
    condition = Q(pk__in=[])
    for name in names:
        channel = channel_get(name)
        if channel is not None:
            condition |= channel.reachable_users()
    return condition


def reachable_user_ids(channel, user_ids: list[int], users_by_id: dict) -> set[int]:
    """Which of these users the channel can reach: one query when the channel can say it in bulk."""
    if hasattr(channel, "reachable"):
        return set(channel.reachable(user_ids))
    return {user_id for user_id in user_ids if channel.wants(users_by_id[user_id])}
