"""Background work of notifications: one task per batch of a fan-out, one per batch of deliveries."""

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError

from .choices import DeliveryState
from .models import Delivery
from .services import Message, delivery_send, notify_batch


# A lost database connection is retried until the database is back (waits growing to 10 minutes): a batch
# given up on would leave its members without the message, and the fan-out is already marked finished.
@shared_task(
    autoretry_for=(OperationalError, InterfaceError, IntegrityError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=None,
)
def notify_batch_task(user_ids: list[int], payload: dict) -> int:
    message = Message(**{**payload, "channels": tuple(payload["channels"])})
    delivery_ids = notify_batch(user_ids=user_ids, message=message)
    if delivery_ids:
        deliver_task.delay(delivery_ids)
    return len(user_ids)


# A lost database connection: the deliveries not yet marked sent are sent by the retry (one whose push went out
# just before the connection dropped goes out again: at least once, never lost).
@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def deliver_task(delivery_ids: list[int]) -> int:
    """Send pending deliveries; returns how many were sent."""
    pending = Delivery.objects.filter(pk__in=delivery_ids, state=DeliveryState.PENDING).select_related(
        "notification__user"
    )
    return sum(delivery_send(delivery=delivery).state == DeliveryState.SENT for delivery in pending)
