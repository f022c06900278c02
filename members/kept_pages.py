"""A plain member's page kept whole in the shared cache between visits: the home, the notices, the documents, the own
record.

What such a page shows a member who holds no role but the member role on their own cell depends only on their own
things (roles, reads, bookmarks, preferences: the user's change token), their record (the member's token), the tree,
and the units from their cell up to the root with what each publishes (`unit_tokens`); every service that changes
one of those renews its token (common.freshness). So the page built once is served, with no query, while all those
tokens are unchanged, for HOME_CACHE_SECONDS at most (0 keeps nothing), and until a moment a page
names (a scheduled notice coming out). Under load these pages were built on every visit (benchmarks/README.md, 7).

A page is kept per user, record, language and browser (its forms carry the browser's CSRF secret) and path. Never
kept: a page asked with a query string or by htmx, one with a message to show, an answer other than 200, the page of
anyone holding another role (what an official sees depends on every unit below theirs).
"""

import datetime
import functools
import hashlib
import logging
import time
import zlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from accounts.scoping import holds_only_member_role_on, units_at_or_above
from common.freshness import TREE_TOKEN, member_token, tokens, unchanged, unit_tokens, user_token

from .selectors import own_member

logger = logging.getLogger(__name__)

KEY_PREFIX = "member-page:"


def page_key(request, prefix: str = KEY_PREFIX) -> str | None:
    """The key of this request's page, or None when it may not be kept."""
    if request.GET or request.headers.get("HX-Request") or len(get_messages(request)):
        return None
    user = request.user
    get_token(request)  # the page's forms use the browser's CSRF secret: make sure it has one
    browser = hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:16]
    return f"{prefix}{user.pk}:{user.member_id}:{get_language()}:{browser}:{request.path}"


def kept_page(key: str) -> HttpResponse | None:
    """The page kept under `key`, while every token it was built from is unchanged."""
    try:
        entry = cache.get(key)
    except Exception:  # a cache that cannot be reached: the page is built
        logger.exception("A kept page could not be read")
        return None
    if not isinstance(entry, dict) or entry.get("until", 0) <= time.time() or not unchanged(entry.get("tokens")):
        return None
    return HttpResponse(zlib.decompress(entry["page"]))


def keep_page(key: str, response: HttpResponse, built_against: dict[str, str], until: float) -> None:
    entry = {"tokens": built_against, "until": until, "page": zlib.compress(response.content)}
    try:
        cache.set(key, entry, settings.HOME_CACHE_SECONDS)
    except Exception:
        logger.exception("A page could not be kept")


def kept_for_plain_members(lapses: Callable[[list[str]], datetime.datetime | None] | None = None):
    """Keep the view's page for plain members (above). `lapses(unit_paths)` says when the page changes without any
    write, from the paths of the units from the member's cell up to the root (None: only the time limit)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not settings.HOME_CACHE_SECONDS or not user.is_authenticated or not user.member_id:
                return view(request, *args, **kwargs)
            key = page_key(request)
            if key is None:
                return view(request, *args, **kwargs)
            page = kept_page(key)
            if page is not None:
                return page
            # Tokens are read before the data they stand for, so that a change made meanwhile leaves the page stale at
            # once: the member's own before their record is read (a move renews it), the units' once it is known.
            wanted = [user_token(user.pk), member_token(user.member_id), TREE_TOKEN]
            seen = tokens(wanted)
            member = own_member(user)
            if member is None or not holds_only_member_role_on(user, member.unit_id):
                return view(request, *args, **kwargs)
            unit_paths = units_at_or_above([member.unit.path])
            unit_names = [name for path in unit_paths for name in unit_tokens(path)]
            seen |= tokens(unit_names)
            response = view(request, *args, **kwargs)
            # A token the cache could not give (it is down) would leave the page unguarded: then it is not kept.
            if response.status_code == 200 and not response.streaming and len(seen) == len({*wanted, *unit_names}):
                now = timezone.now()
                moments = [now + datetime.timedelta(seconds=settings.HOME_CACHE_SECONDS)]
                if lapses is not None and (moment := lapses(unit_paths)) is not None:
                    moments.append(moment)
                keep_page(key, response, seen, min(moments).timestamp())
            return response

        return wrapper

    return decorate
