"""Row locks taken in one order, so that two transactions locking the same rows cannot deadlock on them."""

from collections.abc import Iterable

from django.db.models import Model, QuerySet


def locked(model_or_rows: type[Model] | QuerySet, pks: Iterable) -> dict:
    """The rows with these primary keys, locked (SELECT ... FOR UPDATE) in primary-key order, by primary key.

    Locking in the order a call happens to name its rows (a merge's source, then its target) deadlocks when
    another transaction names the same rows the other way round; in pk order the second one waits instead.
    Pass a queryset for its select_related or other filters; a key without a row is absent from the result."""
    rows = model_or_rows if isinstance(model_or_rows, QuerySet) else model_or_rows.objects.all()
    return {row.pk: row for row in rows.select_for_update().filter(pk__in=set(pks)).order_by("pk")}
