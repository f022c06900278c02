"""Pages of long lists whose total is known, or counted only up to a cap."""

import json
import math
from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, F, QuerySet, Window
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows: the total is exact up to `cap`; past it the database stops after
    `cap` + 1 rows and the list says "more than `cap`" (`is_capped`). Counting a whole country's members exactly
    on every page costs more than the page itself; nobody pages through 200 pages instead of narrowing the list.

    Past the cap it offers only the pages of the first `cap` rows (the pages it knows to exist), with no total
    of pages: a page deeper in a list of millions would cost the database as much as counting them. `count`, when
    given, is the capped total already read (`capped_rows_and_total`), so that the paginator runs no COUNT of its own.
    """

    def __init__(self, object_list, per_page, *, cap: int, count: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = cap
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count if self._known_count is not None else capped_count(self.object_list, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return math.ceil(self.cap / self.per_page) if self.is_capped else super().num_pages

    def page(self, number) -> Page:
        page = super().page(number)
        if self.is_capped:  # the last page offered ends at the cap-th row, as `capped_rows_and_total` gives it
            bottom = (page.number - 1) * self.per_page
            page.object_list = self.object_list[bottom : min(bottom + self.per_page, self.cap)]
        return page


def capped_count(queryset: QuerySet, cap: int) -> int:
    """The length of `queryset` if at most `cap`, else `cap` + 1 (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`)."""
    return queryset[: cap + 1].count()


class CountedPaginator(Paginator):
    """A paginator told the length of its list, so that it runs no COUNT of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's estimate of how many rows `queryset` has (PostgreSQL's `EXPLAIN`, which plans the query and
    reads none of its rows: well under a millisecond), or None where the database gives no estimate (SQLite)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):  # a driver that does not decode JSON
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_rows_and_total(
    queryset: QuerySet,
    *,
    offset: int,
    limit: int,
    cap: int,
    order_by: Sequence[str],
    sorts_every_row: bool = False,
    estimate_trusted_above: int | None = None,
) -> tuple[list, int]:
    """One slice of `queryset` in the order `order_by` (field names, "-" for descending) and the length of the whole
    counted up to `cap` (past it, `cap` + 1; then only rows up to the `cap`-th are given).

    The first query finds at most `cap` + 1 rows in whatever order the database finds cheapest (a LIMIT with no
    ORDER BY: it stops there), then counts and sorts only those and returns the slice's keys with the count. Up to
    the cap those are every row, so the slice is exact and was read with its total in one query. Past the cap
    they are any `cap` + 1 rows of many: the slice's keys are read again in `queryset`'s own order, which should be
    one an index yields (the name index), so that the database stops after the slice instead of sorting a
    country's rows. Then the slice's rows are read by key through `queryset` (every filter, the scope included,
    applies to them again), which lets the first reads run on indexes that hold the columns tested and sorted by.

    `sorts_every_row`: `queryset`'s order is one the database must read and sort every row for anyway (the
    matches of a search in a province, bounded by its size): then the slice's keys and the whole's length come in
    one query in that order (COUNT(*) OVER ()), as a second pass over the rows would cost as much again, and the
    length is reported capped all the same.

    `estimate_trusted_above`: where the planner estimates more rows than this (a number well above `cap`, so that
    only an estimate wrong many times over misleads), nothing is counted: the total is reported as `cap` + 1 ("more
    than `cap`") on the planner's word, and only the slice's keys are read, in `queryset`'s order. Finding `cap` + 1
    rows first costs most where the matches are many (a search's index yields all its matches before a LIMIT can
    stop it). A slice that comes back short shows where the list ends, so its total is then exact; one that comes
    back empty past the first (the estimate far off, or a slice past those offered) is counted as it would have
    been. None, or a database with no estimate (SQLite): always counted.
    """
    if sorts_every_row:
        return _rows_and_total_in_one_sort(queryset, offset=offset, limit=limit, cap=cap)
    if estimate_trusted_above is not None and (estimated_count(queryset) or 0) > estimate_trusted_above:
        return _rows_and_total_past_an_estimate(queryset, offset=offset, limit=limit, cap=cap)
    found = _keys_and_capped_total(queryset, offset=offset, limit=limit, cap=cap, order_by=order_by)
    # A slice past the end has no row to read the total from.
    total = found[0][1] if found else (capped_count(queryset, cap) if offset else 0)
    if total <= cap:
        return _rows_by_key(queryset, [key for key, _total in found]), total
    return _rows_by_key(queryset, _keys_up_to_the_cap(queryset, offset=offset, limit=limit, cap=cap)), total


def _keys_up_to_the_cap(queryset: QuerySet, *, offset: int, limit: int, cap: int) -> list:
    """The slice's keys in `queryset`'s own order, the rows past the `cap`-th left out."""
    end = min(offset + limit, cap)
    return list(queryset.values_list("pk", flat=True)[offset:end]) if offset < end else []


def _rows_and_total_past_an_estimate(queryset: QuerySet, *, offset: int, limit: int, cap: int) -> tuple[list, int]:
    keys = _keys_up_to_the_cap(queryset, offset=offset, limit=limit, cap=cap)
    if len(keys) < min(offset + limit, cap) - offset and (keys or not offset):
        total = offset + len(keys)  # the list ends in this slice (the estimate was far off): its length is known
    elif not keys:
        total = capped_count(queryset, cap)  # past the end, or past the slices offered: counted, as without one
    else:
        total = cap + 1
    return _rows_by_key(queryset, keys), total


def _rows_and_total_in_one_sort(queryset: QuerySet, *, offset: int, limit: int, cap: int) -> tuple[list, int]:
    end = min(offset + limit, cap)
    keyed = queryset.annotate(total_rows=Window(Count("pk"))).values_list("pk", "total_rows")
    found = list(keyed[offset:end]) if offset < end else []
    total = min(found[0][1], cap + 1) if found else capped_count(queryset, cap)
    return _rows_by_key(queryset, [key for key, _total in found]), total


def _keys_and_capped_total(
    queryset: QuerySet, *, offset: int, limit: int, cap: int, order_by: Sequence[str]
) -> list[tuple]:
    columns = {f"order_{index}": F(name.removeprefix("-")) for index, name in enumerate(order_by)}
    first_rows = queryset.order_by().annotate(found_key=F("pk"), **columns).values_list("found_key", *columns)
    try:
        inner_sql, params = first_rows[: cap + 1].query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing by itself (`none()`, an empty scope)
        return []
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    ordering = ", ".join(
        f"{quote(alias)} {'DESC' if name.startswith('-') else 'ASC'}"
        for alias, name in zip(columns, order_by, strict=True)
    )
    sql = (
        f"SELECT {quote('found_key')}, COUNT(*) OVER () FROM ({inner_sql}) {quote('found')} "
        f"ORDER BY {ordering} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return cursor.fetchall()


def _rows_by_key(queryset: QuerySet, keys: list) -> list:
    if not keys:
        return []
    by_key = {row.pk: row for row in queryset.filter(pk__in=keys)}
    # A row changed or removed between the two reads is left out, as it would be from the next page asked for.
    return [by_key[key] for key in keys if key in by_key]


def capped_page(
    queryset: QuerySet,
    number,
    per_page: int,
    *,
    cap: int,
    order_by: Sequence[str],
    sorts_every_row: bool = False,
    estimate_trusted_above: int | None = None,
) -> Page:
    """What `CappedPaginator(queryset, per_page, cap=cap).get_page(number)` gives, read by `capped_rows_and_total`:
    two queries where the list has at most `cap` rows, three past it; past `estimate_trusted_above` rows by the
    planner's estimate, the estimate and two (the page's keys in order, its rows), and the total "more than `cap`"."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if number < 1:  # out of range: the last page, as get_page gives
        return CappedPaginator(queryset, per_page, cap=cap).get_page(number)
    rows, total = capped_rows_and_total(
        queryset,
        offset=(number - 1) * per_page,
        limit=per_page,
        cap=cap,
        order_by=order_by,
        sorts_every_row=sorts_every_row,
        estimate_trusted_above=estimate_trusted_above,
    )
    paginator = CappedPaginator(queryset, per_page, cap=cap, count=total)
    if not rows and number > 1:  # past the end, or past the pages offered: the last page, as get_page gives
        return paginator.get_page(number)
    return Page(rows, number, paginator)
