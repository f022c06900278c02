"""Reads of notices: who receives a notice, which notices a user may see, and the read rate per unit.

Two kinds of users see a notice: its recipients (from `publish_at` on, until it is withdrawn) and those
who oversee the issuing unit (a `member.view` role on it or above: the issuers and the levels above
them), who see it at once, with its read rate. Anyone else gets "not found".
"""

import dataclasses
import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import BigIntegerField, Case, CharField, Count, Exists, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Substr
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils import timezone

from accounts.choices import Permission
from accounts.models import RoleAssignment, User
from accounts.scoping import (
    has_unit_permission,
    held_roles,
    published_above_q,
    restrict_units,
    units_at_or_above,
    units_q,
)
from common.freshness import NOTICES, TREE_TOKEN, member_token, unit_token, user_token
from common.queueing import enqueue
from members.choices import CURRENT_STATUSES
from members.selectors import own_member
from notifications.models import Notification
from orgunits.models import Unit

from .choices import NoticeKind
from .models import NOTICE_KEY_PREFIX, Notice, NoticeAudience, NoticeRead

logger = logging.getLogger(__name__)

# Those who oversee a unit see its notices before they are out, and their read rates.
OVERSEE = Permission.MEMBER_VIEW


def notice_roles(notice: Notice) -> list[str]:
    """The roles the notice is restricted to; empty: everyone in the subtree."""
    return sorted(audience.role for audience in notice.audience.all())


def _anchored_in(path: str, roles: list[str]) -> Q:
    """A filter on users who belong to the subtree at `path`: a current member of a cell there, or holding
    an active role on a unit there (only one of `roles`, when given; then membership alone is not enough)."""
    role_holders = RoleAssignment.objects.active().filter(unit__path__startswith=path)
    if roles:
        return Q(pk__in=role_holders.filter(role__in=roles).values("user_id"))
    return Q(pk__in=role_holders.values("user_id")) | Q(
        member__unit__path__startswith=path, member__status__in=CURRENT_STATUSES
    )


def notice_recipients(notice: Notice, *, roles: list[str] | None = None) -> QuerySet[User]:
    """Every active user the notice is for, as one query (no rows are read into Python here)."""
    roles = notice_roles(notice) if roles is None else roles
    return User.objects.filter(_anchored_in(notice.unit.path, roles), is_active=True)


def _received_q(user) -> Q:
    """A filter on notices that have `user` among their recipients (the same rule as `notice_recipients`)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    for_everyone = ~Exists(NoticeAudience.objects.filter(notice=OuterRef("pk")))
    condition = Q(pk__in=[])
    # The user's record and roles as this request has already read them (accounts.scoping).
    member = own_member(user)
    if member is not None and member.status in CURRENT_STATUSES:
        condition |= published_above_q([member.unit.path]) & for_everyone
    places_by_role: dict[str, set[str]] = defaultdict(set)
    for role, path in held_roles(user):
        places_by_role[role].add(path)
    for role, places in sorted(places_by_role.items()):
        for_role = Exists(NoticeAudience.objects.filter(notice=OuterRef("pk"), role=role))
        condition |= published_above_q(places) & (for_everyone | for_role)
    return condition


def _out_q(now=None) -> Q:
    return Q(publish_at__lte=now or timezone.now(), withdrawn_at__isnull=True)


def first_scheduled_publication(unit_paths: list[str], *, now) -> datetime.datetime | None:
    """When the earliest notice of these units that is not out yet comes out (None: none is waiting)."""
    waiting = Notice.objects.filter(unit__path__in=unit_paths, publish_at__gt=now, withdrawn_at__isnull=True)
    return waiting.aggregate(first=Min("publish_at"))["first"]


def notices_received_by(user, *, now=None) -> QuerySet[Notice]:
    """The published notices the user is a recipient of."""
    return Notice.objects.filter(_received_q(user) & _out_q(now))


def notices_pending_in_inbox(user, *, now=None) -> QuerySet[Notice]:
    """The notices in the user's inbox that have no inbox row of theirs yet (notifications.sources): those they
    receive (resolved now, from their cell and roles: a handful of lookups of the units above them), not yet written
    to their inbox by a push fan-out, by an earlier visit to the inbox or by opening the notice, and not read.

    Only what came out in the last NOTICE_INBOX_CATCH_UP_DAYS days, and since their account was made, is new in the
    inbox: a member who moves to another unit or takes a new role is not flooded with that chain's history (it is in
    the notices list), and the query reads a bounded window however many years of notices there are."""
    if not user.is_authenticated:
        return Notice.objects.none()
    now = now or timezone.now()
    since = max(user.date_joined, now - datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS))
    key = Concat(Value(NOTICE_KEY_PREFIX), Cast(OuterRef("pk"), output_field=CharField()))
    # `dedupe_key` is never empty here: saying so lets the database use the inbox's unique (user, key) index.
    written = Notification.objects.filter(user=user.pk, dedupe_key=key).exclude(dedupe_key="")
    read = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user.pk)
    return (
        notices_received_by(user, now=now)
        .filter(kind=NoticeKind.NOTICE, publish_at__gte=since)
        .exclude(Exists(written))
        .exclude(Exists(read))
    )


def withdrawn_notice_rows() -> Q:
    """A filter on inbox rows (Notification) of notices withdrawn since they were written: each row looks its
    notice up by primary key, so no index on the inbox key alone is needed (notifications.sources)."""
    notice_id = Case(
        When(
            StartsWith(OuterRef("dedupe_key"), Value(NOTICE_KEY_PREFIX)),
            then=Cast(Substr(OuterRef("dedupe_key"), len(NOTICE_KEY_PREFIX) + 1), BigIntegerField()),
        )
    )
    return Q(Exists(Notice.objects.filter(pk=notice_id, withdrawn_at__isnull=False)))


def _inbox_units(user) -> list[str]:
    """The paths of the units whose notices can be in the user's inbox (`_received_q`): at or above their cell (while
    they are a current member) and at or above each unit of a role of theirs."""
    places = [path for _role, path in held_roles(user)]
    member = own_member(user)
    if member is not None and member.status in CURRENT_STATUSES:
        places.append(member.unit.path)
    return units_at_or_above(places)


def notices_inbox_tokens(user) -> list[str]:
    """What the notices pending in the user's inbox are resolved from (notifications.sources): the notices of the
    units above them, their record (cell, status), their roles, reads and rows (their own token) and the tree."""
    names = [user_token(user.pk), TREE_TOKEN, *(unit_token(path, NOTICES) for path in _inbox_units(user))]
    if user.member_id:
        names.append(member_token(user.member_id))
    return names


def notices_inbox_row_tokens(user) -> list[str]:
    """The notices tokens of the units of the notices the user has unread inbox rows of: their withdrawal takes the
    row out of the count, and renews that token only, while the unit may no longer be above the user (they moved, or
    a role ended). Two queries (one when there is no such row)."""
    keys = Notification.objects.filter(user=user.pk, read_at__isnull=True, dedupe_key__startswith=NOTICE_KEY_PREFIX)
    ids = [int(key.removeprefix(NOTICE_KEY_PREFIX)) for key in keys.values_list("dedupe_key", flat=True)]
    if not ids:
        return []
    # A withdrawn notice's row is out of the count for good.
    notices = Notice.objects.filter(pk__in=ids, withdrawn_at__isnull=True)
    return [unit_token(path, NOTICES) for path in notices.values_list("unit__path", flat=True).distinct()]


def notices_inbox_lapses(user, now: datetime.datetime) -> datetime.datetime | None:
    """When the notices pending in the user's inbox change with no write: the next notice of the units above them
    comes out, or the oldest one pending leaves the NOTICE_INBOX_CATCH_UP_DAYS window (None: neither)."""
    moments = [first_scheduled_publication(_inbox_units(user), now=now)]
    oldest = notices_pending_in_inbox(user, now=now).aggregate(oldest=Min("publish_at"))["oldest"]
    if oldest is not None:
        moments.append(oldest + datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS))
    return min((moment for moment in moments if moment is not None), default=None)


def notices_visible_to(user, *, now=None) -> QuerySet[Notice]:
    """What the user may open: notices they received, and every notice of the units they oversee."""
    return Notice.objects.filter((_received_q(user) & _out_q(now)) | units_q(user, OVERSEE, via="unit__"))


def notice_list(*, actor: User, kind: str = NoticeKind.NOTICE, now=None) -> QuerySet[Notice]:
    """The notices (or news items) list, newest first, with `is_read` (by the actor) annotated."""
    return (
        notices_visible_to(actor, now=now)
        .filter(kind=kind)
        .select_related("unit")
        .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=actor.pk)))
        .order_by("-publish_at", "-id")
    )


def news_latest(*, user, limit: int) -> list[Notice]:
    """The newest news items out for the user (as a recipient), with `is_read`; their text stays in the database."""
    news = notices_received_by(user).filter(kind=NoticeKind.NEWS).select_related("unit").defer("body")
    news = news.annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user.pk)))
    return list(news.order_by("-publish_at", "-id")[:limit])


def notice_get(*, actor: User, pk: int) -> Notice:
    """The notice, if the actor may see it; otherwise 404 (outside scope a notice does not exist)."""
    notice = notices_visible_to(actor).select_related("unit", "created_by").prefetch_related("audience").filter(pk=pk)
    notice = notice.first()
    if notice is None:
        raise Http404
    return notice


def withdrawn_notice_received(*, actor: User, pk: int) -> Notice | None:
    """A withdrawn notice that reached the actor's inbox: its link there should say it was withdrawn, not 404."""
    notice = Notice.objects.filter(pk=pk, withdrawn_at__isnull=False).select_related("unit").first()
    if notice is None or not Notification.objects.filter(user=actor, dedupe_key=notice.notification_key).exists():
        return None
    return notice


def can_oversee(user, notice: Notice) -> bool:
    return has_unit_permission(user, OVERSEE, notice.unit)


def can_manage(user, notice: Notice) -> bool:
    """May withdraw it: may publish notices for the issuing unit."""
    return has_unit_permission(user, Permission.CONTENT_PUBLISH, notice.unit)


def is_recipient(user, notice: Notice) -> bool:
    """The same rule as `notice_recipients`, asked from the user's side: the notices of the units above them
    (their cell and roles as the request has them), not the issuing unit's whole subtree."""
    return notices_received_by(user).filter(pk=notice.pk).exists()


def publishing_units(user) -> QuerySet[Unit]:
    """The open units for which the user may issue notices."""
    return restrict_units(Unit.objects.filter(closed_on__isnull=True), user, Permission.CONTENT_PUBLISH).order_by(
        "path"
    )


@dataclasses.dataclass(frozen=True)
class ReadRate:
    unit: Unit
    recipients: int
    read: int

    @property
    def percent(self) -> Decimal | None:
        if not self.recipients:
            return None
        return (Decimal(100 * self.read) / self.recipients).quantize(Decimal("0.1"))


def notice_read_rates(notice: Notice) -> list[ReadRate]:
    """The issuing unit's read rate, then each open child unit's: recipients there who read it / recipients there.

    Recipients are counted as `notice_recipients` has them now: active accounts (`is_active`) of current members of
    a cell in the subtree and of holders of an active role there (only of the notice's roles, when it has some).
    That includes accounts made, and members who moved in, after publishing (the notice is in their notices list;
    in their inbox only while it is recent, see `notices_pending_in_inbox`), and leaves out those who moved out or
    left, whose reading leaves with them; a member who moved between children counts in the child they are in now.
    Readers are those recipients who opened it (NoticeRead), so the rate never passes 100 %.

    One query: a recipient belongs to a child when their cell or a role of theirs (of the audience) is in its subtree.
    """
    roles = notice_roles(notice)
    children = Unit.objects.filter(
        path__startswith=notice.unit.path, depth=notice.unit.depth + 1, closed_on__isnull=True
    ).order_by("path")
    units = [notice.unit, *children]
    readers = Q(pk__in=NoticeRead.objects.filter(notice=notice).values("user_id"))
    counts = notice_recipients(notice, roles=roles).aggregate(
        **{
            f"recipients_{index}": Count("pk", filter=_anchored_in(unit.path, roles))
            for index, unit in enumerate(units)
        },
        **{
            f"read_{index}": Count("pk", filter=_anchored_in(unit.path, roles) & readers)
            for index, unit in enumerate(units)
        },
    )
    return [
        ReadRate(unit=unit, recipients=counts[f"recipients_{index}"], read=counts[f"read_{index}"])
        for index, unit in enumerate(units)
    ]


# An overseer's page shows read rates at most this old when a count has finished since: it asks for a new one then.
READ_RATES_KEPT_SECONDS = 60
# Counting a national notice's 5.6 million recipients takes about 40 s (benchmarks/README.md): longer than a page
# may take, so the count runs in a worker and the page shows the last one with its time. While one runs no other
# starts, unless it has not finished in this long (its worker died).
READ_RATES_COUNTING_SECONDS = 15 * 60
# A count is kept this long for the page to show while the next one runs.
READ_RATES_SHOWN_SECONDS = 24 * 3600


@dataclasses.dataclass(frozen=True)
class ReadRatesCounted:
    rates: list[ReadRate]
    counted_at: datetime.datetime


def _read_rates_key(notice_id: int) -> str:
    return f"notice-read-rates:{notice_id}"


def notice_read_rates_count(notice_id: int) -> ReadRatesCounted:
    """Count the notice's read rates now and keep them for the overseers' pages (the worker's part)."""
    notice = Notice.objects.select_related("unit").get(pk=notice_id)
    counted = ReadRatesCounted(rates=notice_read_rates(notice), counted_at=timezone.now())
    try:
        cache.set(_read_rates_key(notice_id), counted, READ_RATES_SHOWN_SECONDS)
        cache.delete(f"{_read_rates_key(notice_id)}:counting")
    except Exception:
        logger.exception("The read rates could not be kept")
    return counted


def notice_read_rates_recent(notice: Notice) -> ReadRatesCounted | None:
    """The notice's read rates as last counted, with when (None: the first count has not finished).

    When the last count is older than READ_RATES_KEPT_SECONDS (or there is none) a new one is queued for a worker,
    one at a time per notice; where tasks run in the request (the embedded set-up), it is counted before this
    returns. Without a cache it is counted here and now, as nothing could be kept."""
    key = _read_rates_key(notice.pk)
    try:
        counted = cache.get(key)
        is_due = counted is None or counted.counted_at <= timezone.now() - datetime.timedelta(
            seconds=READ_RATES_KEPT_SECONDS
        )
        if is_due and cache.add(f"{key}:counting", True, READ_RATES_COUNTING_SECONDS):
            enqueue("notices.tasks.notice_read_rates_count_task", notice.pk)
            counted = cache.get(key)
    except Exception:
        logger.exception("The read rates could not be read from the cache or queued")
        return ReadRatesCounted(rates=notice_read_rates(notice), counted_at=timezone.now())
    return counted
