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

import dataclasses
import logging
import secrets
import time
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


# What a unit publishes, each kind under a token of its own (`unit_token(path, NOTICES)`): a notice to the whole
# country renews the notices token of the central unit only, so what is kept of its documents, its study and every
# unit's name and meetings stays.
NOTICES = "notices"  # notices and news items
DOCUMENTS = "documents"
STUDY = "study"
PUBLISHED = (NOTICES, DOCUMENTS, STUDY)


def unit_token(path: str, published: str = "") -> str:
    """A unit (by tree path): its name and place, its meetings and role holders; with `published` (one of
    PUBLISHED), only what it publishes of that kind."""
    return f"{PREFIX}unit:{path}:{published}" if published else f"{PREFIX}unit:{path}"


def unit_tokens(path: str) -> list[str]:
    """Every token of a unit: what a page showing the unit and all it publishes was built from."""
    return [unit_token(path), *(unit_token(path, published) for published in PUBLISHED)]


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


@dataclasses.dataclass(frozen=True)
class Part:
    """A value kept in the cache under `key` while the tokens `names` are unchanged.

    `compute()` makes it. `until(value)` says when it lapses without any write (a timestamp; None: only the time
    limit), e.g. when a scheduled item comes out. `more_names(value)` names tokens that depend on what was computed
    (a cell's secretaries): they are read after computing, and a kept value is checked against them too."""

    key: str
    names: tuple[str, ...]
    compute: Callable[[], object] | None = None
    until: Callable[[object], float | None] = lambda value: None
    more_names: Callable[[object], Iterable[str]] = lambda value: ()
    # Parts of one kind (one per unit, say) computed together: `compute_many([arg, ...])` returns their values in
    # that order, for all those missing at once (one query for all, not one each).
    arg: object = None
    compute_many: Callable[[list], list] | None = None


@dataclasses.dataclass(frozen=True)
class Kept:
    """A part's value, with the tokens it stands for ({} when the cache could not give them: nothing may be kept on
    it) and the moment it lapses. `version` is drawn at random when the value is computed and kept with it: what is
    made from the value (a rendered fragment of a page) may be kept under it, as it names this value and no other
    ("" when unguarded: nothing may be kept on it)."""

    value: object
    tokens: dict[str, str]
    until: float
    version: str = ""


def _is_entry(entry) -> bool:
    """Whether a value found under a part's key is an entry of this shape: one kept by an older version of the code
    under the same key (after an upgrade) is computed again, never read."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("tokens"), dict)
        and {"until", "value", "version"} <= entry.keys()
    )


def _valid(entry, found: dict[str, str], now: float) -> bool:
    return (
        _is_entry(entry)
        and entry["until"] > now
        and all(found.get(name) == value for name, value in entry["tokens"].items())
    )


def _computed(parts: list[Part]) -> list:
    """Each part's value, those sharing a `compute_many` computed together."""
    values: dict[int, object] = {}
    groups: dict[Callable, list[int]] = {}
    for index, part in enumerate(parts):
        if part.compute_many is None:
            values[index] = part.compute()
        else:
            groups.setdefault(part.compute_many, []).append(index)
    for compute_many, indexes in groups.items():
        values.update(zip(indexes, compute_many([parts[index].arg for index in indexes]), strict=True))
    return [values[index] for index in range(len(parts))]


def kept_parts(parts: list[Part], *, seconds: int) -> dict[str, Kept]:
    """Each part as kept while still right, the others computed now and kept for `seconds` at most (0: nothing is
    kept). The kept parts and every token they were built against come in one round trip to the cache (a second
    one only for tokens named after computing, such as a cell's secretaries); the parts computed are kept in one
    more. A cache that cannot be reached leaves every part computed and unguarded."""
    now = time.time()
    if seconds <= 0:
        return {part.key: Kept(value, {}, now) for part, value in zip(parts, _computed(parts), strict=True)}
    names = list(dict.fromkeys(name for part in parts for name in part.names))
    try:
        found = cache.get_many([*(part.key for part in parts), *names])
        entries = {part.key: found.pop(part.key, None) for part in parts}
        later = {name for entry in entries.values() if _is_entry(entry) for name in entry["tokens"]}
        later -= set(found) | set(names)
        if later:
            found |= cache.get_many(list(later))
    except Exception:
        logger.exception("Kept parts could not be read")
        return {part.key: Kept(value, {}, now) for part, value in zip(parts, _computed(parts), strict=True)}
    result, missing = {}, []
    for part in parts:
        entry = entries[part.key]
        if _valid(entry, found, now):
            result[part.key] = Kept(entry["value"], entry["tokens"], entry["until"], entry["version"])
        else:
            missing.append(part)
    if not missing:
        return result
    # Read before computing, as everywhere here; only the missing ones need a value.
    wanted = [name for part in missing for name in part.names]
    seen = {name: found[name] for name in wanted if name in found}
    if len(seen) < len(set(wanted)):
        seen = tokens(wanted)
    new_entries = {}
    for part, value in zip(missing, _computed(missing), strict=True):
        more = list(part.more_names(value))
        part_seen = {name: seen[name] for name in part.names if name in seen} | (tokens(more) if more else {})
        lapses = min(now + seconds, part.until(value) or now + seconds)
        guarded = len(part_seen) == len({*part.names, *more})
        version = secrets.token_hex(8) if guarded else ""
        result[part.key] = Kept(value, part_seen if guarded else {}, lapses, version)
        if guarded and lapses > now:
            new_entries[part.key] = {"tokens": part_seen, "until": lapses, "value": value, "version": version}
    if new_entries:
        try:
            cache.set_many(new_entries, seconds)
        except Exception:
            logger.exception("Computed parts could not be kept")
    return result


def kept(key: str, names: list[str], compute: Callable[[], object], *, seconds: int):
    """What `compute()` returned when it last ran, while the tokens `names` are unchanged; otherwise its new
    result, kept under `key` for `seconds` at most (0: never kept). One round trip to the cache when nothing
    changed."""
    return kept_parts([Part(key, tuple(names), compute)], seconds=seconds)[key].value


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
