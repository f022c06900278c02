"""Reads of the notifications app: a user only ever reads their own inbox.

The inbox is the user's Notification rows and what the inbox sources (notifications.sources) hold for them
without a row yet; the inbox pages write those rows first (`services.inbox_catch_up`), the unread count adds them.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from common.memo import forget, memoized_on

from .models import Notification
from .sources import inbox_sources

# The badge (in the menu of every page, and on the home) stops counting here and shows "99+".
BADGE_COUNT_CAP = 100
BADGE_MEMO = "unread_badge_count"


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def inbox_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's inbox, unread first, newest first within each, with `is_unread` annotated."""
    notifications = notifications_for(user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.annotate(
        is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-is_unread", "-created_at", "-id")


def unread_count(*, user, cap: int | None = None) -> int:
    """Unread notifications (not those taken back by their source), with those the inbox sources hold for the user
    without a row yet, in one query;
    with `cap`, counting stops there (the badge shows "99+")."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    for source in inbox_sources():
        unread = unread.exclude(source.taken_back())
    unread = unread.order_by().values("pk")
    pending = [source.pending(user).order_by().values("pk") for source in inbox_sources()]
    if pending:
        unread = unread.union(*pending, all=True)
    if cap is not None:
        unread = unread[:cap]
    return unread.count()


def unread_badge_count(*, user) -> int:
    """Unread notifications up to BADGE_COUNT_CAP, counted once per request: the home shows the same badge as
    the menu. The services that mark notifications read forget it (`forget_unread_badge_count`)."""
    return memoized_on(user, BADGE_MEMO, lambda: unread_count(user=user, cap=BADGE_COUNT_CAP))


def forget_unread_badge_count(user) -> None:
    forget(user, BADGE_MEMO)
