"""Reads of the notifications app: a user only ever reads their own inbox.

The inbox is the user's Notification rows and what the inbox sources (notifications.sources) hold for them
without a row yet; the inbox pages write those rows first (`services.inbox_catch_up`), the unread count adds them.
The count is shown by the menu of every page and asked for by the apps: it is kept in the shared cache between
requests (`unread_count_kept`).
"""

import dataclasses

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from common.freshness import Part, kept_parts, user_token
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


@dataclasses.dataclass(frozen=True)
class _Counted:
    count: int
    lapses: float | None  # a timestamp
    row_tokens: tuple[str, ...]


def unread_count_kept(*, user) -> int:
    """`unread_count`, exact, kept in the shared cache for HOME_CACHE_SECONDS at most (0: counted every time) while
    nothing it was counted from has changed: one round trip to the cache, no query, when nothing has.

    It stands for the user's own token (their rows: every service that writes or marks them renews it) and the
    tokens each inbox source names (notifications.sources: `tokens` and `row_tokens`), and lapses when a source's
    pending items change with no write (`lapses`). Kept exact, not capped: the API gives the exact count and the
    badge caps the same value, and a count over the cap is rare and costs little more to count than to cap."""
    sources = inbox_sources()
    names = [user_token(user.pk), *(name for source in sources for name in source.tokens(user))]

    def count() -> _Counted:
        # Before counting: an item that comes out while it counts is either counted or lapses the count.
        now = timezone.now()
        counted = unread_count(user=user)
        moments = [moment for source in sources if (moment := source.lapses(user, now)) is not None]
        return _Counted(
            count=counted,
            lapses=min(moments).timestamp() if moments else None,
            row_tokens=tuple(name for source in sources for name in source.row_tokens(user)),
        )

    # The day is in the key: roles start and end by the day (accounts.scoping keeps them so too).
    key = f"unread:{user.pk}:{timezone.localdate().isoformat()}"
    part = Part(
        key, tuple(names), count, until=lambda counted: counted.lapses, more_names=lambda counted: counted.row_tokens
    )
    return kept_parts([part], seconds=settings.HOME_CACHE_SECONDS)[key].value.count


def unread_badge_count(*, user) -> int:
    """Unread notifications up to BADGE_COUNT_CAP, read once per request: the home shows the same badge as
    the menu. The services that mark notifications read forget it (`forget_unread_badge_count`)."""
    return memoized_on(user, BADGE_MEMO, lambda: min(unread_count_kept(user=user), BADGE_COUNT_CAP))


def forget_unread_badge_count(user) -> None:
    forget(user, BADGE_MEMO)
