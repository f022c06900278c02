"""Pages of long lists whose total is known, or read with the page's keys."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows: the total is exact up to `cap`; past it the database stops after
    `cap` + 1 rows and the list says "more than `cap`" (`is_capped`). Counting a whole country's members exactly
    on every page costs more than the page itself; nobody pages through 200 pages instead of narrowing the list."""

    def __init__(self, object_list, per_page, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


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


def rows_and_total(queryset: QuerySet, *, offset: int, limit: int) -> tuple[list, int]:
    """One slice of `queryset` and the length of the whole: the slice's keys and the total in one query
    (COUNT(*) OVER ()), then the slice's rows by key (the same queryset, so every filter is applied again).

    For a list the database must read and sort whole anyway (a search, ordered by the matches): a separate
    COUNT would find every match a second time. Not for a list served in index order, where the slice alone
    stops after a page of rows. A slice past the end costs a COUNT, as it gives no row to read the total from.
    Asking for keys rather than rows lets the database find, count and sort the matches on an index that holds
    the columns tested and sorted by (members: migration 0006), and read the table for one page only.
    """
    keys = list(
        queryset.annotate(total_rows=Window(Count("pk"))).values_list("pk", "total_rows")[offset : offset + limit]
    )
    if not keys:
        return [], (queryset.count() if offset else 0)
    by_key = {row.pk: row for row in queryset.filter(pk__in=[key for key, _total in keys])}
    # A row changed or removed between the two reads is left out, as it would be from the next page asked for.
    return [by_key[key] for key, _total in keys if key in by_key], keys[0][1]


def page_with_total(queryset: QuerySet, number, per_page: int) -> Page:
    """What `Paginator(queryset, per_page).get_page(number)` gives, in two queries where the page has rows."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if number < 1:  # out of range: the last page, as get_page gives
        return CountedPaginator(queryset, per_page, count=queryset.count()).get_page(number)
    rows, total = rows_and_total(queryset, offset=(number - 1) * per_page, limit=per_page)
    paginator = CountedPaginator(queryset, per_page, count=total)
    if not rows and number > 1:  # past the end: the last page, as get_page gives
        return paginator.get_page(number)
    return Page(rows, number, paginator)
