"""Reads of the member registry. Every query a user can reach starts from `members_visible_to`."""

import datetime
import os

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import SCOPE_MEMO, granted_unit_paths, require_unit_permission, units_q
from audit.choices import ChangeAction
from audit.models import ChangeLog
from audit.selectors import object_history, object_state_as_of
from common.dates import end_of_day
from common.memo import memoized_on, remember
from common.text import fold_for_search
from orgunits.models import Unit

from .choices import CURRENT_STATUSES
from .models import Member, RecordAccess


def own_member(user) -> Member | None:
    """The user's own member record with its unit, read once per request (None for an account without one).

    `user.member` is set to it too, so that whatever follows the link reads no row of its own."""
    if not user or not user.is_authenticated or not user.member_id:
        return None

    def read() -> Member | None:
        member = Member.objects.select_related("unit").filter(pk=user.member_id).first()
        if member is not None:
            user.member = member
        return member

    return memoized_on(user, OWN_MEMBER_MEMO, read)


OWN_MEMBER_MEMO = f"{SCOPE_MEMO}own_member"


def own_member_known(user, member: Member) -> None:
    """The user's record as read elsewhere (the home's kept parts): `own_member` returns it for this request."""
    user.member = member
    remember(user, OWN_MEMBER_MEMO, member)


def members_visible_to(actor: User, permission: str = Permission.MEMBER_VIEW) -> QuerySet[Member]:
    return Member.objects.filter(units_q(actor, permission, via="unit__"))


def member_search_q(text: str, *, whole_country: bool = True) -> Q:
    """Digits search card number, citizen ID and phone; words search the name without diacritics or case.

    Below the whole country (`whole_country=False`: a province or narrower) the name is tested with a position
    function, which the trigram index cannot serve, so that PostgreSQL tries the scope's members on the covering
    index (migration 0006) cell by cell, the same work for any words: 50-70 ms of the database's time for a
    province of 180,000. Through the trigram index it finds the matches across the whole country and then drops
    those outside the scope: for a province's "thi hoa", 13,000 candidates read from the table to keep 163,
    150-250 ms, and the planner took that way for the larger provinces (benchmarks/README.md, "1 and 2").
    """
    text = (text or "").strip()
    compact = text.replace(" ", "")
    if compact.isdigit():
        return Q(card_number__startswith=compact) | Q(citizen_id__startswith=compact) | Q(phone__startswith=compact)
    folded = fold_for_search(text)
    if whole_country:
        return Q(search_name__contains=folded)
    return Q(GreaterThan(StrIndex("search_name", Value(folded)), 0))


def _searches_whole_country(actor: User, unit: Unit | None) -> bool:
    """Whether a search by `actor` (narrowed to `unit`'s subtree, if given) may reach every member: a role on
    the root of the tree, and no narrower unit asked for."""
    if unit is not None and unit.depth > 1:
        return False
    return any(len(path) == Unit.steplen for path in granted_unit_paths(actor, Permission.MEMBER_VIEW))


# The registry's order (given name first, as Vietnamese rosters are), by the fields `capped_rows_and_total` sorts on.
MEMBER_LIST_ORDER = ("sort_name", "id")


def member_list(
    *,
    actor: User,
    search: str = "",
    status: str = "",
    unit: Unit | None = None,
    is_eligible: bool | None = None,
) -> QuerySet[Member]:
    members = members_visible_to(actor).select_related("unit")
    whole_country = bool(search) and _searches_whole_country(actor, unit)
    if search:
        members = members.filter(member_search_q(search, whole_country=whole_country))
    if status:
        members = members.filter(status=status)
    if unit is not None:
        members = members.filter(unit__path__startswith=unit.path)
    if is_eligible is not None:
        members = members.filter(is_eligible=is_eligible)
    if search and not whole_country:
        # Sort the matches, rather than walk the name index in order and test every member on the way: in a
        # province, at national scale, that walk read 4 million rows for "nguyen van", most of them outside the
        # scope (benchmarks/README.md). An expression cannot use the index. Across the whole country a search is
        # paged by `common.pagination.capped_rows_and_total`, which sorts the matches itself when they are few
        # and walks the index (`members/migrations/0013`) only when they are more than the count's cap: then
        # a page of them usually comes early in the name order (a word found mostly in one given name, late in
        # the order, is the exception: benchmarks/README.md, "Totals counted up to 10,000").
        return members.order_by(Concat("sort_name", Value("")), "id")
    return members.order_by(*MEMBER_LIST_ORDER)


def member_list_paging(*, actor: User, search: str = "", unit: Unit | None = None) -> dict:
    """How `common.pagination.capped_page` and `capped_rows_and_total` page `member_list`'s answer for the same
    arguments: its order, the count's cap, how many rows by the planner's estimate are surely more than the cap
    (then nothing is counted), and whether the list sorts all its rows anyway (a search below the whole country: then
    the total comes with the page's keys in that one sort, as it did before the cap)."""
    return {
        "cap": settings.MEMBER_LIST_COUNT_CAP,
        "estimate_trusted_above": settings.MEMBER_LIST_ESTIMATE_TRUSTED_ABOVE,
        "order_by": MEMBER_LIST_ORDER,
        "sorts_every_row": bool(search) and not _searches_whole_country(actor, unit),
    }


def member_get(*, actor: User, pk: int, permission: str = Permission.MEMBER_VIEW) -> Member:
    """A member the actor may reach (and may always read their own record), or 404: outside scope it does not exist."""
    if not actor.is_authenticated:
        raise Http404
    condition = units_q(actor, permission, via="unit__")
    if permission == Permission.MEMBER_VIEW:
        condition |= Q(user=actor)
    visible = Member.objects.filter(condition)
    return get_object_or_404(visible.select_related("unit", "residence_area"), pk=pk)


def member_history(*, member: Member):
    return object_history(obj=member)


def member_as_of(*, member: Member, day: datetime.date) -> dict | None:
    """The record as it stood at the end of `day`, or None if it was not yet registered."""
    return object_state_as_of(model=Member, object_id=member.pk, when=end_of_day(day))


def active_members_in_subtree(unit: Unit) -> QuerySet[Member]:
    return Member.objects.filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES)


def current_member_counts(units: list[Unit]) -> dict[int, int]:
    """Current members in each unit's subtree: one grouped query per tree depth present (usually one).

    Rows are narrowed by the units' common path prefix (their nearest common ancestor), then grouped
    by the path prefix of the units' depth.
    """
    counts: dict[int, int] = {}
    by_path_length: dict[int, dict[str, Unit]] = {}
    for unit in units:
        by_path_length.setdefault(len(unit.path), {})[unit.path] = unit
    for length, units_by_path in by_path_length.items():
        common_prefix = os.path.commonprefix(list(units_by_path))
        common_prefix = common_prefix[: len(common_prefix) - len(common_prefix) % Unit.steplen]
        rows = (
            Member.objects.filter(unit__path__startswith=common_prefix, status__in=CURRENT_STATUSES)
            .annotate(prefix=Substr("unit__path", 1, length))
            .values("prefix")
            .annotate(total=Count("id"))
        )
        for row in rows:
            if row["prefix"] in units_by_path:
                counts[units_by_path[row["prefix"]].pk] = row["total"]
    return {unit.pk: counts.get(unit.pk, 0) for unit in units}


def record_accesses(*, actor: User, unit: Unit) -> QuerySet[RecordAccess]:
    """Who opened the full record of a member of `unit`'s subtree, newest first: for its administrators only."""
    require_unit_permission(actor, Permission.ACCESS_LOG_VIEW, unit)
    return RecordAccess.objects.filter(unit__path__startswith=unit.path).select_related("actor", "member", "unit")


def member_exports(*, actor: User, unit: Unit) -> QuerySet[ChangeLog]:
    """The member exports of `unit`'s subtree (the change log's export rows), newest first: for its administrators."""
    require_unit_permission(actor, Permission.ACCESS_LOG_VIEW, unit)
    return ChangeLog.objects.filter(action=ChangeAction.EXPORT, unit__path__startswith=unit.path).select_related(
        "actor", "unit"
    )
