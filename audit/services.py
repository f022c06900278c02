"""Writing the change log. Services call these inside their own transaction."""

import datetime
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from common.bulk import insert_rows

from .choices import ChangeAction
from .context import current_context
from .models import ChangeLog

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
_ENCODED_TYPES = frozenset({datetime.date, datetime.datetime, decimal.Decimal, uuid.UUID})
_encoder = DjangoJSONEncoder()


def _json_ready(value):
    """`value` as a JSON round trip through DjangoJSONEncoder gives it back, without the round trip for the
    common types (an import snapshots thousands of records)."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind in _ENCODED_TYPES:
        return _encoder.default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model) -> dict:
    """Every stored field of `obj` as JSON-ready values (foreign keys by id), less `AUDIT_EXCLUDE`."""
    excluded = set(getattr(obj, "AUDIT_EXCLUDE", ()))
    return {
        field.attname: _json_ready(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.name not in excluded
    }


def _actor_name(actor) -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def build_change_log(*, actor, obj, action: str, before: dict | None, after: dict | None, reason: str = "", unit=None):
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


_CREATION_COLUMNS = [
    "time",
    "actor_id",
    "actor_name",
    "source",
    "request_id",
    "ip_address",
    "action",
    "object_type_id",
    "reason",
    "object_id",
    "object_repr",
    "unit_id",
    "prechange_data",
    "postchange_data",
]


def bulk_creation_log(*, actor, objects, reason: str = "", unit_of=None, action: str = ChangeAction.CREATE) -> None:
    """The creation rows of many records of one model, as `creation_log` writes them one by one, with one time
    for all (they come into existence in one transaction). Written as plain rows: an import logs a hundred
    thousand records, and an instance each costs more than its insert. `unit_of(obj)` gives the unit's id."""
    if not objects:
        return
    context = current_context()
    fields = {name: ChangeLog._meta.get_field(name) for name in ("time", "request_id", "ip_address")}
    common = (
        fields["time"].get_db_prep_save(timezone.now(), connection),
        actor.pk if actor is not None else None,
        _actor_name(actor),
        context.source,
        fields["request_id"].get_db_prep_save(context.request_id, connection),
        fields["ip_address"].get_db_prep_save(context.ip_address, connection),
        action,
        ContentType.objects.get_for_model(objects[0]).pk,
        reason or "",
    )
    insert_rows(
        ChangeLog,
        _CREATION_COLUMNS,
        [
            (
                *common,
                obj.pk,
                str(obj)[:300],
                unit_of(obj) if unit_of is not None else None,
                None,
                json.dumps(snapshot(obj)),
            )
            for obj in objects
        ],
    )


def change_log(
    *, actor, obj, action: str, before: dict | None, after: dict | None, reason: str = "", unit=None
) -> ChangeLog:
    entry = build_change_log(actor=actor, obj=obj, action=action, before=before, after=after, reason=reason, unit=unit)
    entry.save()
    return entry


def creation_log(*, actor, obj, reason: str = "", unit=None, action: str = ChangeAction.CREATE) -> ChangeLog:
    """The log row of a record coming into existence: nothing before, the whole record after."""
    return change_log(actor=actor, obj=obj, action=action, before=None, after=snapshot(obj), reason=reason, unit=unit)
