"""Writing the change log. Services call these inside their own transaction."""

import datetime
import decimal
import functools
import json
import uuid
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from common.bulk import copy_rows, insert_rows

from .choices import ChangeAction
from .context import current_context
from .models import ChangeLog

if TYPE_CHECKING:
    from accounts.models import User

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
_ENCODED_TYPES = frozenset({datetime.date, datetime.datetime, decimal.Decimal, uuid.UUID})
_encoder = DjangoJSONEncoder()


def json_ready(value):
    """`value` as a JSON round trip through DjangoJSONEncoder gives it back, without the round trip for the
    common types (an import snapshots thousands of records)."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind in _ENCODED_TYPES:
        return _encoder.default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@functools.cache
def _logged_attnames(model: type[models.Model]) -> tuple[str, ...]:
    excluded = set(getattr(model, "AUDIT_EXCLUDE", ()))
    return tuple(field.attname for field in model._meta.concrete_fields if field.name not in excluded)


def snapshot(obj: models.Model) -> dict:
    """Every stored field of `obj` as JSON-ready values (foreign keys by id), less `AUDIT_EXCLUDE`."""
    # `__class__`, not `type()`: a lazily loaded user (request.user) answers with the model it wraps.
    return {name: json_ready(getattr(obj, name)) for name in _logged_attnames(obj.__class__)}


def _actor_name(actor: "User") -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def build_change_log(
    *, actor: "User", obj, action: str, before: dict | None, after: dict | None, reason: str = "", unit=None
):
    context = current_context()
    return ChangeLog(
        actor=actor,
        actor_name=_actor_name(actor),
        source=context.source,
        request_id=context.request_id,
        ip_address=context.ip_address,
        action=action,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        unit=unit,
        prechange_data=before,
        postchange_data=after,
        reason=reason or "",
    )


# The columns of log rows written as plain rows: first those the rows written together share (`_log_common`).
_LOG_COLUMNS = [
    "time",
    "actor_id",
    "actor_name",
    "source",
    "request_id",
    "ip_address",
    "object_type_id",
    "reason",
    "action",
    "object_id",
    "object_repr",
    "unit_id",
    "prechange_data",
    "postchange_data",
]


def _log_common(*, actor: "User", model, reason: str) -> tuple:
    """The values of `_LOG_COLUMNS` that the log rows written together share."""
    context = current_context()
    fields = {name: ChangeLog._meta.get_field(name) for name in ("time", "request_id", "ip_address")}
    return (
        fields["time"].get_db_prep_save(timezone.now(), connection),
        actor.pk if actor is not None else None,
        _actor_name(actor),
        context.source,
        fields["request_id"].get_db_prep_save(context.request_id, connection),
        fields["ip_address"].get_db_prep_save(context.ip_address, connection),
        ContentType.objects.get_for_model(model).pk,
        reason or "",
    )


def bulk_creation_log(
    *, actor: "User", objects, reason: str = "", unit_of=None, action: str = ChangeAction.CREATE
) -> None:
    """The creation rows of many records of one model, as `creation_log` writes them one by one, with one time
    for all (they come into existence in one transaction). Written as plain rows: an import logs a hundred
    thousand records, and an instance each costs more than its insert. `unit_of(obj)` gives the unit's id."""
    if not objects:
        return
    common = _log_common(actor=actor, model=type(objects[0]), reason=reason)
    insert_rows(
        ChangeLog,
        _LOG_COLUMNS,
        [
            (
                *common,
                action,
                obj.pk,
                str(obj)[:300],
                unit_of(obj) if unit_of is not None else None,
                None,
                json.dumps(snapshot(obj)),
            )
            for obj in objects
        ],
    )


def bulk_change_log(*, actor: "User", model, entries, reason: str = "") -> None:
    """The log rows of many changes to records of one model, as `change_log` writes them one by one, with one
    time for all, written as plain rows (an import changes a hundred thousand records).

    `entries`: (record, action, before, after, unit id) tuples, the snapshots as `snapshot` gives them; an
    iterator is read as the rows are written."""
    common = _log_common(actor=actor, model=model, reason=reason)
    rows = (
        (
            *common,
            action,
            obj.pk,
            str(obj)[:300],
            unit_id,
            None if before is None else json.dumps(before),
            None if after is None else json.dumps(after),
        )
        for obj, action, before, after, unit_id in entries
    )
    if connection.vendor == "postgresql":
        # Streamed: the server stores the rows sent while the next ones are made, on the other core.
        copy_rows(ChangeLog, _LOG_COLUMNS, rows)
    else:
        insert_rows(ChangeLog, _LOG_COLUMNS, list(rows))


# Fields whose value PostgreSQL's `to_jsonb` of the row writes as `json_ready` does: text, whole numbers,
# booleans, dates (ISO) and keys. Not datetimes or decimals, which the two write differently.
_SAME_IN_JSONB = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def bulk_creation_log_in_database(
    *, actor: "User", model, ids: list[int], reason: str, repr_column: str, unit_column: str
):
    """PostgreSQL only: the creation rows of records of `model` just written (by primary key `ids`), as
    `bulk_creation_log` writes them, with the snapshot taken by the database from each stored row (`to_jsonb`)
    instead of read into Python. For a model whose logged fields all have the same JSON form both ways;
    `repr_column` holds what `str(obj)` gives, `unit_column` the unit's id."""
    logged = [field for field in model._meta.concrete_fields if field.name not in getattr(model, "AUDIT_EXCLUDE", ())]
    if any(field.get_internal_type() not in _SAME_IN_JSONB or field.column != field.attname for field in logged):
        raise ValueError(f"{model.__name__}: the database would not snapshot every logged field as Python does.")
    if not ids:
        return
    excluded = [field.column for field in model._meta.concrete_fields if field not in logged]
    common = (*_log_common(actor=actor, model=model, reason=reason), ChangeAction.CREATE)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _LOG_COLUMNS)
    key = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ChangeLog._meta.db_table)} ({columns})"
            f" SELECT {', '.join(['%s'] * len(common))}, t.{key}, left(t.{quote(repr_column)}, 300),"
            f" t.{quote(unit_column)}, NULL, to_jsonb(t) - %s::text[]"
            f" FROM {quote(model._meta.db_table)} t WHERE t.{key} = ANY(%s)",
            [*common, excluded, ids],
        )


def change_log(
    *, actor: "User", obj, action: str, before: dict | None, after: dict | None, reason: str = "", unit=None
) -> ChangeLog:
    entry = build_change_log(actor=actor, obj=obj, action=action, before=before, after=after, reason=reason, unit=unit)
    entry.save()
    return entry


def creation_log(*, actor: "User", obj, reason: str = "", unit=None, action: str = ChangeAction.CREATE) -> ChangeLog:
    """The log row of a record coming into existence: nothing before, the whole record after."""
    return change_log(actor=actor, obj=obj, action=action, before=None, after=snapshot(obj), reason=reason, unit=unit)


def model_create(instance: models.Model, *, actor: "User | None", unit=None, reason: str = "") -> models.Model:
    """The tail of a create service: validate, save, and write the record's creation row to the change log. Call it
    in the service's transaction."""
    instance.full_clean()
    instance.save()
    creation_log(actor=actor, obj=instance, unit=unit, reason=reason)
    return instance


def model_update(
    instance: models.Model,
    *,
    data: dict,
    actor: "User",
    action: str = ChangeAction.UPDATE,
    reason: str = "",
    unit=None,
    clean: bool = True,
    clean_exclude: list[str] | None = None,
    update_fields: bool = False,
) -> models.Model:
    """The tail of an update service: set `data` on `instance`, validate (`clean`), save, and write the change
    log row with the record before and after. Call it in the service's transaction, on a row it has locked.

    `update_fields`: save only the fields of `data` (a status change that must not write over the rest)."""
    before = snapshot(instance)
    for field, value in data.items():
        setattr(instance, field, value)
    if clean:
        instance.full_clean(exclude=clean_exclude)
    instance.save(update_fields=list(data) if update_fields else None)
    change_log(
        actor=actor, obj=instance, action=action, before=before, after=snapshot(instance), reason=reason, unit=unit
    )
    return instance
