"""The member's home page, kept whole in the shared cache between visits, over the parts it is assembled from.

Every member opens the home, often several times an evening, and building it costs far more than serving it
(benchmarks/README.md, section 4). A built page is kept per user, language, browser and path (its forms carry the
browser's CSRF secret) and served while every change token it was built from is unchanged (common.freshness).
A plain member's page is assembled from parts kept on their own (handbook/home_parts.py: what each unit above them
publishes, their cell's meeting and secretaries, their own things), and stands for the tokens of all of them; a
notice to the whole country drops every kept page, and the next visit of each member assembles it again from the
parts, of which one (the central unit's notices) is rebuilt once for everyone. Other pages stand for the user's
own token, their record's, the tree's, those of each unit from their cell up to the root (`unit_tokens`: its name,
meetings and secretaries, and what it publishes) and each secretary's. A page is also dropped when the next
meeting ends or a notice scheduled on those units comes out, and after HOME_CACHE_SECONDS at most;
HOME_PAGE_KEPT_WHOLE off keeps only the parts (HOME_CACHE_SECONDS=0: nothing at all).

Only plain members are kept (no role but the member role on their own cell): what an official sees depends on
every unit below theirs. A page with a message to show, or asked with a query string, is not kept whole.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from accounts.scoping import holds_only_member_role_on, units_at_or_above
from common.freshness import TREE_TOKEN, member_token, tokens, unit_tokens, user_token
from members.kept_pages import keep_page, kept_page, page_key
from members.selectors import own_member
from notices.selectors import first_scheduled_publication

from .home_parts import Versions, home_from_parts
from .selectors import Home

logger = logging.getLogger(__name__)

# Versioned: a page kept by the code before the home's parts stands for tokens that are no longer renewed (a unit's
# notices have their own since), so the new code must not serve it.
KEY_PREFIX = "home2:"


def _expires_at(home: Home, unit_paths: list[str]) -> float:
    """When the page would change without any write: the next meeting ends, a scheduled notice comes out."""
    now = timezone.now()
    moments = [now + datetime.timedelta(seconds=settings.HOME_CACHE_SECONDS)]
    if home.next_meeting is not None:
        moments.append(home.next_meeting.ends_at)
    scheduled = first_scheduled_publication(unit_paths, now=now) if unit_paths else None
    if scheduled is not None:
        moments.append(scheduled)
    return min(moments).timestamp()


def home_page(
    request, *, build: Callable[[], Home], render: Callable[[Home, Versions | None], HttpResponse]
) -> HttpResponse:
    """The kept page when it is still right; otherwise the page assembled from kept parts (a plain member's, rendered
    with the versions of its parts) or built from the database and rendered now, kept whole when it may be."""
    user = request.user
    if not settings.HOME_CACHE_SECONDS:
        return render(build(), None)
    key = page_key(request, KEY_PREFIX) if settings.HOME_PAGE_KEPT_WHOLE else None
    if key is not None:
        page = kept_page(key)
        if page is not None:
            return page
    assembled = home_from_parts(user)
    if assembled is not None:
        home, seen, until, versions = assembled
        response = render(home, versions)
        # A part the cache could not guard (it is down) leaves the page unguarded: then it is not kept.
        if key is not None and seen and response.status_code == 200:
            keep_page(key, response, seen, until)
        return response
    # Tokens are read before the data they stand for, so a change made meanwhile leaves the page stale at once.
    wanted = [user_token(user.pk), *([member_token(user.member_id)] if user.member_id else []), TREE_TOKEN]
    seen = tokens(wanted)
    member = own_member(user)
    # Any other role shows what happens in units that none of the page's tokens stand for.
    if key is None or not holds_only_member_role_on(user, member.unit_id if member is not None else None):
        return render(build(), None)
    unit_paths = units_at_or_above([member.unit.path]) if member is not None else []
    unit_names = [name for path in unit_paths for name in unit_tokens(path)]
    seen |= tokens(unit_names)
    home = build()
    secretary_names = [user_token(secretary.pk) for secretary in home.secretaries]
    seen |= tokens(secretary_names)
    response = render(home, None)
    # A token the cache could not give (it is down) would leave the page unguarded: then it is not kept.
    if response.status_code == 200 and len(seen) == len({*wanted, *unit_names, *secretary_names}):
        keep_page(key, response, seen, _expires_at(home, unit_paths))
    return response
