"""Values read once per request, kept on the user object the request carries.

Django builds `request.user` afresh for every request, so what is kept on it lives as long as the request: the
menu, the page and the selectors it calls ask for the user's roles, record or badge several times and read
them once. A service that changes one of them within the request forgets it, so the next read is fresh.
"""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# One attribute on the user holds every kept value, by key; keys that change together share a prefix.
_ATTRIBUTE = "_memo"


def memoized_on(user, key: str, compute: Callable[[], T]) -> T:
    """The value kept on `user` under `key`, computed (once) by `compute` when it is not kept yet. None is kept too."""
    memo = user.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def remember(user, key: str, value) -> None:
    """Keep `value` on `user` under `key`, as if `memoized_on` had computed it (it was read from a kept part)."""
    user.__dict__.setdefault(_ATTRIBUTE, {})[key] = value


def forget(user, key_prefix: str) -> None:
    """Drop the values kept on `user` whose key starts with `key_prefix`: the next read computes them afresh."""
    memo = user.__dict__.get(_ATTRIBUTE, {})
    for key in [key for key in memo if key.startswith(key_prefix)]:
        del memo[key]
