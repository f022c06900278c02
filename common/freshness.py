"""Change tokens: what a page kept in the shared cache was built from, so that a change made by any process
makes it stale at once.

A token is a random value in the cache under a name that stands for some data: a user's own things, a member
record, a unit (with what is published on it). A service that changes such data calls `changed()` with the
names. The page keeps the tokens it read before reading its data and is served only while they are unchanged.

`changed()` gives the names new values at once and again when the transaction commits: between the two, a
reader could keep what it read before the commit under the first new value. A token missing from the cache
(evicted, or never set) is given a value when read, so nothing kept against an older value matches it.
A cache that cannot be reached is logged, never raised: the page is then built afresh, and a write still
commits (what was kept then expires after its own time limit).
"""

import logging
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "fresh:"
# Much longer than any page is kept: a token must outlive the pages built against it.
TOKEN_SECONDS = 7 * 24 * 3600


def user_token(user_id: int) -> str:
    """A user's own things: roles, preferences, notifications, questions, reads."""
    return f"{PREFIX}user:{user_id}"


def member_token(member_id: int) -> str:
    return f"{PREFIX}member:{member_id}"


def unit_token(path: str) -> str:
    """A unit (by tree path): its name and place, its meetings and role holders, what is published on it."""
    return f"{PREFIX}unit:{path}"


# Any unit's place in the tree (its path changes when it, or a unit above it, moves).
TREE_TOKEN = f"{PREFIX}tree"


def _new_values(names: Iterable[str]) -> dict[str, str]:
    return {name: secrets.token_hex(8) for name in names}


def tokens(names: Iterable[str]) -> dict[str, str]:
    """The current value of each name, giving a value to those that have none."""
    names = list(dict.fromkeys(names))
    try:
        found = cache.get_many(names)
        missing = _new_values(name for name in names if name not in found)
        if missing:
            cache.set_many(missing, TOKEN_SECONDS)
            found.update(missing)
    except Exception:  # the cache server is down or refuses: nothing can be kept, nothing is lost
        logger.exception("Change tokens could not be read")
        return {}
    return found


def kept(key: str, names: list[str], compute: Callable[[], object], *, seconds: int):
    """What `compute()` returned when it last ran, while the tokens `names` are unchanged; otherwise its new
    result, kept under `key` for `seconds` at most (0: never kept). One round trip to the cache when nothing
    changed."""
    if seconds <= 0:
        return compute()
    try:
        found = cache.get_many([key, *names])
    except Exception:
        logger.exception("Change tokens could not be read")
        return compute()
    entry = found.pop(key, None)
    if entry is not None and entry["tokens"] == found and len(found) == len(names):
        return entry["value"]
    # Read before computing, as everywhere here; only the missing ones need a value.
    seen = found if len(found) == len(names) else tokens(names)
    value = compute()
    if len(seen) == len(names):
        try:
            cache.set(key, {"tokens": seen, "value": value}, seconds)
        except Exception:
            logger.exception("A computed value could not be kept")
    return value


def unchanged(built_against: dict[str, str]) -> bool:
    """Whether every token a page was built against still has its value."""
    if not built_against:
        return False
    try:
        return cache.get_many(list(built_against)) == built_against
    except Exception:
        logger.exception("Change tokens could not be read")
        return False


def _renew(names: list[str]) -> None:
    try:
        cache.set_many(_new_values(names), TOKEN_SECONDS)
    except Exception:
        logger.exception("Change tokens could not be renewed: pages kept before expire on their own")


def changed(*names: str) -> None:
    """Mark the data behind `names` as changed, for every process: now, and again on commit."""
    names = [name for name in dict.fromkeys(names) if name]
    if not names:
        return
    _renew(names)
    transaction.on_commit(lambda: _renew(names), robust=True)
