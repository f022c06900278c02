"""The registry of inbox sources: messages that reach many inboxes without a row per user until the user reads them.

A notice to a whole subtree (the notices app) is in every inbox there the moment it is out, resolved when the inbox
is read (fan-out on read): writing six million rows first would take minutes. Such an app registers a source, in an
`inbox.py` module of its own, loaded when Django starts:

    register(InboxSource(name="notices", pending=notices_pending_in_inbox, catch_up=notices_inbox_catch_up))

`pending(user)` is a queryset of the items that are in the user's inbox but have no Notification row of theirs yet
(so unread): the unread count adds them. It must be bounded: items the user has read elsewhere are not pending, and
only a recent window is (notices: NOTICE_INBOX_CATCH_UP_DAYS, and not before the account was made), so that a user
who arrives in a new place is not flooded with its past and the badge's query does not grow with the years. `catch_up(user)` writes those rows (idempotent, by their `dedupe_key`):
the inbox pages and the API call it before listing or marking read, and from then on the rows are the inbox as
for any other notification. `taken_back()` is a filter on Notification rows of items taken back since their rows
were written (a withdrawn notice): the unread count leaves them out, and `catch_up` marks the user's read and
empties their text.

The unread count is kept in the shared cache between requests (selectors.unread_count_kept), so each source names
what its part of the count stands for (common.freshness): `tokens(user)`, the change tokens of whatever decides the
user's pending items (read before counting); `row_tokens(user)`, those a taking back of any item the user has an
unread row of renews (read after counting: the rows' items need not be pending any more, e.g. of a unit the user
has left); and `lapses(user, now)`, the first moment the pending items change with no write at all (a scheduled
item comes out, one leaves the window), or None.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.module_loading import autodiscover_modules


@dataclasses.dataclass(frozen=True)
class InboxSource:
    name: str
    pending: Callable[[object], QuerySet]
    catch_up: Callable[[object], int]
    taken_back: Callable[[], Q]
    tokens: Callable[[object], list[str]]
    row_tokens: Callable[[object], list[str]]
    lapses: Callable[[object, datetime.datetime], datetime.datetime | None]


_registry: dict[str, InboxSource] = {}


def register(source: InboxSource) -> InboxSource:
    if source.name in _registry and _registry[source.name] != source:
        raise ValueError(f"Inbox source {source.name!r} is registered twice.")
    _registry[source.name] = source
    return source


def inbox_sources() -> list[InboxSource]:
    """Every registered source, in registration order."""
    return list(_registry.values())


def autodiscover() -> None:
    autodiscover_modules("inbox")
