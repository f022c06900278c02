"""Writing the change log. Services call these inside their own transaction."""

import datetime
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

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


def change_log(
    *, actor, obj, action: str, before: dict | None, after: dict | None, reason: str = "", unit=None
) -> ChangeLog:
    entry = build_change_log(actor=actor, obj=obj, action=action, before=before, after=after, reason=reason, unit=unit)
    entry.save()
    return entry


def build_creation_log(*, actor, obj, reason: str = "", unit=None, action: str = ChangeAction.CREATE) -> ChangeLog:
    """The log row of a record coming into existence: nothing before, the whole record after."""
    return build_change_log(
        actor=actor, obj=obj, action=action, before=None, after=snapshot(obj), reason=reason, unit=unit
    )


def creation_log(*, actor, obj, reason: str = "", unit=None, action: str = ChangeAction.CREATE) -> ChangeLog:
    entry = build_creation_log(actor=actor, obj=obj, reason=reason, unit=unit, action=action)
    entry.save()
    return entry
