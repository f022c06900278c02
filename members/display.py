"""How a member record and its history read on a page: sections, labels and values as people write them.

Everything here works on snapshots (the dicts the change log stores, foreign keys by id), so the
current record, the record as of a past date and each change in the history are shown alike.
"""

import dataclasses
import datetime
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext as _

from audit.choices import ChangeAction
from audit.models import ChangeLog
from audit.services import snapshot
from orgunits.selectors import area_names, unit_names

from .fields import RECORD_SECTIONS
from .models import Member

# Bookkeeping a reader of the history does not need to see.
_HIDDEN_IN_HISTORY = {"id", "version"}
_FIELDS_BY_ATTNAME = {field.attname: field for field in Member._meta.concrete_fields}

# Names of the related rows a snapshot refers to by id: {"unit_id": {12: "Chi bộ thôn 1"}, ...}.
RelatedNames = dict[str, dict[int, str]]


@dataclasses.dataclass
class Row:
    label: str
    value: str


@dataclasses.dataclass
class Section:
    title: str
    rows: list[Row]


@dataclasses.dataclass
class Change:
    label: str
    before: str
    after: str


@dataclasses.dataclass
class HistoryEntry:
    entry: ChangeLog
    changes: list[Change]


def format_value(field: models.Field, value, names: RelatedNames) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return names.get(field.attname, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateField):
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        return day.strftime("%d/%m/%Y")
    return str(value)


def related_names(snapshots: Iterable[dict | None]) -> RelatedNames:
    """Names of every unit and area the snapshots mention: two queries, however many snapshots."""
    unit_ids, area_ids = set(), set()
    for values in snapshots:
        if values:
            unit_ids.add(values.get("unit_id"))
            area_ids.add(values.get("residence_area_id"))
    return {
        "unit_id": unit_names(unit_ids - {None}),
        "residence_area_id": area_names(area_ids - {None}),
    }


def record_sections(values: dict, names: RelatedNames) -> list[Section]:
    sections = []
    for title, field_names in RECORD_SECTIONS:
        fields = [Member._meta.get_field(name) for name in field_names]
        rows = [Row(label=str(f.verbose_name), value=format_value(f, values.get(f.attname), names)) for f in fields]
        sections.append(Section(title=str(title), rows=rows))
    return sections


def member_sections(member: Member) -> list[Section]:
    """The current record, in sections."""
    values = snapshot(member)
    return record_sections(values, related_names([values]))


def _changes(entry: ChangeLog, names: RelatedNames) -> list[Change]:
    if entry.action == ChangeAction.CREATE:
        return []
    changes = []
    for attname, before, after in entry.changed_fields():
        if attname in _HIDDEN_IN_HISTORY:
            continue
        field = _FIELDS_BY_ATTNAME.get(attname)
        if field is None:
            changes.append(Change(label=attname, before=str(before), after=str(after)))
        else:
            changes.append(
                Change(
                    label=str(field.verbose_name),
                    before=format_value(field, before, names),
                    after=format_value(field, after, names),
                )
            )
    return changes


def history_entries(history: list[ChangeLog], names: RelatedNames) -> list[HistoryEntry]:
    return [HistoryEntry(entry=entry, changes=_changes(entry, names)) for entry in history]


def history_snapshots(history: list[ChangeLog]) -> list[dict | None]:
    return [values for entry in history for values in (entry.prechange_data, entry.postchange_data)]
