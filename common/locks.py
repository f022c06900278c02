"""Row locks taken in one order, so that two transactions locking the same rows cannot deadlock on them; and a
lock held across transactions, for work done in several."""

import contextlib
from collections.abc import Iterable, Iterator

from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model, QuerySet


def locked(model_or_rows: type[Model] | QuerySet, pks: Iterable) -> dict:
    """The rows with these primary keys, locked (SELECT ... FOR UPDATE) in primary-key order, by primary key.

    Locking in the order a call happens to name its rows (a merge's source, then its target) deadlocks when
    another transaction names the same rows the other way round; in pk order the second one waits instead.
    Pass a queryset for its select_related or other filters; a key without a row is absent from the result."""
    rows = model_or_rows if isinstance(model_or_rows, QuerySet) else model_or_rows.objects.all()
    return {row.pk: row for row in rows.select_for_update().filter(pk__in=set(pks)).order_by("pk")}


def share_locked(model: type[Model], pks: Iterable) -> dict:
    """As `locked`, in share mode (SELECT ... FOR SHARE): several transactions may hold the rows at once (two
    batches of an import adding members to the same cells), none may change them meanwhile. On PostgreSQL;
    elsewhere as `locked` (SQLite writes one transaction at a time)."""
    pks = set(pks)
    if connection.vendor != "postgresql" or not pks:
        return locked(model, pks)
    table, key = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    # Raw: Django's select_for_update has no share mode.
    rows = model.objects.raw(f"SELECT * FROM {table} WHERE {key} = ANY(%s) ORDER BY {key} FOR SHARE", [list(pks)])
    return {row.pk: row for row in rows}


@contextlib.contextmanager
def held_across_transactions(name: str) -> Iterator[None]:
    """PostgreSQL: hold a lock named `name` for the session, across the transactions made inside, so that
    one process at a time does what takes several (an import committed batch by batch). Elsewhere nothing: SQLite
    writes one transaction at a time. Released at the end, or by the server if the connection drops."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [name])
    try:
        yield
    finally:
        with contextlib.suppress(OperationalError, InterfaceError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])
