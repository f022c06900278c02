"""Reading the change log back."""

import datetime

from django.contrib.contenttypes.models import ContentType

from .models import ChangeLog


def object_history(*, obj) -> list[ChangeLog]:
    return list(ChangeLog.objects.for_object(obj).select_related("actor").order_by("-time", "-id"))


def object_state_as_of(*, model, object_id: int, when: datetime.datetime) -> dict | None:
    """The record's stored values as they stood at `when`, or None if it did not exist yet."""
    entry = (
        ChangeLog.objects.filter(
            object_type=ContentType.objects.get_for_model(model), object_id=object_id, time__lte=when
        )
        .order_by("-time", "-id")
        .first()
    )
    return entry.postchange_data if entry else None
