"""Writes of the procedure guide: a committee (CONTENT_PUBLISH) writes and changes its entries, logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Permission
from accounts.models import User
from accounts.scoping import require_unit_permission
from audit.services import model_create, model_update
from common.text import fold_for_search
from orgunits.models import Unit

from .models import GuideEntry

FIELDS = ("topic", "title", "summary", "steps", "forms_needed")


def _search_text(data: dict) -> str:
    return fold_for_search(" ".join(str(data.get(name, "")) for name in ("title", "summary", "steps", "forms_needed")))


def _clean(data: dict) -> dict:
    clean = {name: str(data.get(name, "")).strip() for name in FIELDS}
    if not clean["title"]:
        raise ValidationError({"title": _("Give the procedure a title.")})
    if not [line for line in clean["steps"].splitlines() if line.strip()]:
        raise ValidationError({"steps": _("Write the steps, one per line.")})
    return clean


@transaction.atomic
def entry_create(*, actor: User, unit: Unit, data: dict) -> GuideEntry:
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, unit)
    clean = _clean(data)
    entry = GuideEntry(unit=unit, written_by=actor, search_text=_search_text(clean), **clean)
    return model_create(entry, actor=actor, unit=unit)


@transaction.atomic
def entry_update(*, actor: User, entry: GuideEntry, data: dict) -> GuideEntry:
    entry = GuideEntry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    require_unit_permission(actor, Permission.CONTENT_PUBLISH, entry.unit)
    clean = _clean(data)
    return model_update(
        entry,
        data={**clean, "search_text": _search_text(clean), "written_by": actor, "updated_at": timezone.now()},
        actor=actor,
        unit=entry.unit,
    )
