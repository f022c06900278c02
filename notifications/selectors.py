"""Reads of the notifications app: a user only ever reads their own inbox."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .models import Notification


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
    """Unread notifications; with `cap`, counting stops there (the badge shows "99+")."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True).order_by()
    if cap is not None:
        unread = unread[:cap]
    return unread.count()
