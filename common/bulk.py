"""Writing many rows of one model at once: PostgreSQL's COPY where the database has it, `bulk_create` elsewhere.

Django's `bulk_create` on PostgreSQL spends most of its time in Python, compiling the INSERT and quoting each
value (Django binds parameters on the client): about 1 ms a row for a member record, against a few microseconds
for COPY. The rows written are the same: every concrete field's value as the instance holds it, the id taken
from the table's own sequence beforehand, so that the instances come back with their primary keys as from
`bulk_create`.
"""

import json
from collections.abc import Iterable, Sequence

from django.db import connection, models

COPY_BATCH = 5_000


def _copy_converter(field: models.Field):
    """How one field's Python value is written in COPY's text format (psycopg adapts the plain types itself)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def to_json(value):
            return None if value is None else json.dumps(value, cls=encoder)

        return to_json
    return None


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """PostgreSQL only: `count` new primary keys from the table's own sequence."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable) -> None:
    """PostgreSQL only: stream value tuples into `model`'s table with COPY (`columns` are column names)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    # The driver's own cursor (`cursor.cursor`): COPY is psycopg's, not part of the DB-API Django wraps.
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(model: type[models.Model], columns: list[str], rows: Sequence[tuple]) -> None:
    """Insert plain value tuples into `model`'s table (`columns` are column names; JSON given as text).

    For rows too many and too simple to be worth a model instance each (an import's rows, their change log).
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_rows(model, columns, rows)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows)


_IN_CHUNK = 500


def keys_by_value(model: type[models.Model], field_name: str, values: Iterable) -> dict:
    """{value: primary key} for the rows of `model` whose `field_name` holds one of `values` (plain values, as the
    column stores them). For thousands of values at once: Django's `__in` prepares and quotes each value in Python,
    where PostgreSQL takes them all as one array parameter."""
    values = list(values)
    if not values:
        return {}
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {column}, {key} FROM {table} WHERE {column} = ANY(%s)", [values])
            found.update(cursor.fetchall())
            return found
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column}, {key} FROM {table} WHERE {column} IN ({placeholders})", chunk)
            found.update(cursor.fetchall())
    return found


def _copy(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    fields = list(model._meta.concrete_fields)
    # auto_now values, as bulk_create fills them in (pre_save with add=True); defaults came with the constructor.
    pre_save = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    converters = [_copy_converter(field) for field in fields]
    attnames = [field.attname for field in fields]
    missing_ids = [obj for obj in objects if obj.pk is None]
    for obj, pk in zip(missing_ids, allocate_ids(model, len(missing_ids)), strict=True):
        obj.pk = pk

    def values():
        for obj in objects:
            for field in pre_save:
                field.pre_save(obj, add=True)
            yield [
                value if convert is None else convert(value)
                for value, convert in zip([getattr(obj, name) for name in attnames], converters, strict=True)
            ]

    copy_rows(model, [field.column for field in fields], values())
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model]) -> list[models.Model]:
    """Insert `objects` (unsaved instances of `model`) and return them with their ids set.

    Like `bulk_create` without its options: no conflict handling and no signals; inside the caller's transaction.
    The instances must be complete (defaults already applied, as the model's constructor does).
    """
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=1_000)
    for start in range(0, len(objects), COPY_BATCH):
        _copy(model, objects[start : start + COPY_BATCH])
    return objects
