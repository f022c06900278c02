"""The fields of a template and the values of a report: checking, pre-filling, summing, showing.

A report's values are {key: {"value": ..., "computed": ..., "note": ...}} (see models.py). Percentages
(`ratio_of` indicators) are never stored: they are recomputed from the stored parts each time they are
shown, so a compiled report divides the summed parts once instead of averaging percentages.
"""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.indicators import Indicator, indicator_get, indicators, ratio

from .choices import FieldKind

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX = 2000


def registered(key: str) -> Indicator | None:
    try:
        return indicator_get(key)
    except KeyError:
        return None


def clean_fields(fields: list[dict]) -> list[dict]:
    """A template's field list, checked: unique keys, known indicators, a percentage's parts present, options."""
    cleaned, errors, keys = [], [], set()
    for position, raw in enumerate(fields, start=1):
        kind = raw.get("kind")
        key = (raw.get("key") or "").strip()
        label = (raw.get("label") or "").strip()
        options = [str(option).strip() for option in raw.get("options") or [] if str(option).strip()]
        if kind not in FieldKind.values:
            errors.append(_("Field %(n)s: choose what kind of field it is.") % {"n": position})
            continue
        if not KEY_PATTERN.match(key):
            errors.append(
                _("Field %(n)s: the key has lower-case letters, digits and underscores, starting with a letter.")
                % {"n": position}
            )
            continue
        if key in keys:
            errors.append(_("Field %(n)s: the key %(key)s is used twice.") % {"n": position, "key": key})
            continue
        if kind == FieldKind.INDICATOR and registered(key) is None:
            errors.append(_("Field %(n)s: there is no indicator %(key)s.") % {"n": position, "key": key})
            continue
        if kind != FieldKind.INDICATOR and not label:
            errors.append(_("Field %(n)s: give it a label.") % {"n": position})
            continue
        if kind == FieldKind.CHOICE and len(options) < 2:
            errors.append(_("Field %(n)s: a choice needs at least two options.") % {"n": position})
            continue
        keys.add(key)
        cleaned.append(
            {"key": key, "kind": kind, "label": label, "options": options if kind == FieldKind.CHOICE else []}
        )
    for field in cleaned:
        indicator = registered(field["key"]) if field["kind"] == FieldKind.INDICATOR else None
        if indicator and indicator.ratio_of:
            missing = [part for part in indicator.ratio_of if part not in keys]
            if missing:
                errors.append(
                    _("%(label)s is computed from %(parts)s: add them to the template too.")
                    % {"label": indicator.label, "parts": ", ".join(missing)}
                )
    if not cleaned and not errors:
        errors.append(_("Add at least one field."))
    if errors:
        raise ValidationError({"fields": errors})
    return cleaned


def is_ratio(field: dict) -> bool:
    indicator = registered(field["key"]) if field["kind"] == FieldKind.INDICATOR else None
    return bool(indicator and indicator.ratio_of)


def is_summed(field: dict) -> bool:
    """Numbers add up the tree: indicator counts and hand-filled numbers (not percentages, texts or choices)."""
    return field["kind"] == FieldKind.NUMBER or (field["kind"] == FieldKind.INDICATOR and not is_ratio(field))


def field_label(field: dict) -> str:
    if field["label"]:
        return field["label"]
    indicator = registered(field["key"])
    if indicator:
        return str(indicator.label)
    # A hand-filled field left without a name: never show its internal key ("field_3").
    return _("Field %(number)s") % {"number": field["key"].rpartition("_")[2]}


def prefill(fields: list[dict], target, as_of) -> dict:
    """Values of a new report: indicator counts computed for the target as of the cut-off, the rest empty."""
    from .indicators import computed_together

    values = {}
    with computed_together():
        _prefill_into(values, fields, target, as_of)
    return values


def _prefill_into(values: dict, fields: list[dict], target, as_of) -> None:
    for field in fields:
        if is_ratio(field):
            continue
        if field["kind"] == FieldKind.INDICATOR:
            indicator = registered(field["key"])
            # No target (an organisation without its own party unit): the figure is not known, the filer types it.
            computed = indicator.compute(target, as_of) if indicator and target is not None else None
            values[field["key"]] = {"value": computed, "computed": computed, "note": ""}
        else:
            values[field["key"]] = {"value": None}


def recompute(fields: list[dict], values: dict, target, as_of) -> dict:
    """Fresh computed figures; an override stays if it has a note, otherwise the value follows the figure."""
    fresh = prefill(fields, target, as_of)
    result = dict(values)
    for key, entry in fresh.items():
        if "computed" not in entry:
            result.setdefault(key, entry)
            continue
        old = values.get(key) or {}
        if entry["computed"] is None and old.get("computed") is None:
            result[key] = {**entry, "value": old.get("value")}
        elif old.get("note") and old.get("value") != entry["computed"]:
            result[key] = {**entry, "value": old.get("value"), "note": old["note"]}
        else:
            result[key] = entry
    return result


def _number(raw, *, label: str):
    if raw is None or raw == "":
        return None
    try:
        number = int(str(raw).strip().replace(".", "").replace(",", "")) if isinstance(raw, str) else int(raw)
    except (TypeError, ValueError):
        raise ValidationError(_("%(label)s: enter a whole number.") % {"label": label}) from None
    if number < 0:
        raise ValidationError(_("%(label)s: enter a number of zero or more.") % {"label": label})
    return number


def apply_input(fields: list[dict], values: dict, data: dict) -> dict:
    """The report's values after the filer's input `data` ({key: value}, and {key}_note for an override).

    A computed value may be changed only with a note; the computed figure is kept beside it.
    """
    result, errors = dict(values), {}
    for field in fields:
        key, kind, label = field["key"], field["kind"], field_label(field)
        if is_ratio(field) or key not in data:
            continue
        try:
            if kind == FieldKind.INDICATOR:
                old = values.get(key) or {}
                computed = old.get("computed")
                value = _number(data[key], label=label)
                note = str(data.get(f"{key}_note") or "").strip()[:TEXT_MAX]
                if value is None:
                    value = computed
                if computed is not None and value != computed and not note:
                    raise ValidationError(
                        _("%(label)s: say why the figure differs from the computed %(computed)s.")
                        % {"label": label, "computed": computed}
                    )
                overridden = computed is not None and value != computed
                result[key] = {"value": value, "computed": computed, "note": note if overridden else ""}
            elif kind == FieldKind.NUMBER:
                result[key] = {**(values.get(key) or {}), "value": _number(data[key], label=label)}
            elif kind == FieldKind.TEXT:
                result[key] = {"value": str(data[key] or "").strip()[:TEXT_MAX]}
            else:
                value = str(data[key] or "").strip()
                if value and value not in field["options"]:
                    raise ValidationError(_("%(label)s: choose one of the options.") % {"label": label})
                result[key] = {"value": value}
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return result


def missing_fields(fields: list[dict], values: dict) -> list[str]:
    """Labels of the numbers and choices still empty (texts may stay empty)."""
    return [
        field_label(field)
        for field in fields
        if not is_ratio(field)
        and field["kind"] != FieldKind.TEXT
        and (values.get(field["key"]) or {}).get("value") in (None, "")
    ]


def sum_values(fields: list[dict], children: list[dict]) -> dict:
    """{key: sum} over the children's values for every summed field (None when no child has a figure)."""
    sums = {}
    for field in fields:
        if not is_summed(field):
            continue
        figures = [(child.get(field["key"]) or {}).get("value") for child in children]
        figures = [figure for figure in figures if isinstance(figure, int)]
        sums[field["key"]] = sum(figures) if figures else None
    return sums


@dataclasses.dataclass(frozen=True)
class Cell:
    """One field of one report, ready to show."""

    key: str
    kind: str
    label: str
    value: object
    computed: object = None
    note: str = ""
    is_ratio: bool = False
    is_summed: bool = False
    options: tuple = ()

    @property
    def is_overridden(self) -> bool:
        return (
            self.kind == FieldKind.INDICATOR
            and not self.is_ratio
            and self.computed is not None
            and self.value != self.computed
        )


def cells(fields: list[dict], values: dict) -> list[Cell]:
    """The report's fields in template order; percentages divided from the parts' values."""
    result = []
    for field in fields:
        entry = values.get(field["key"]) or {}
        if is_ratio(field):
            numerator, denominator = registered(field["key"]).ratio_of
            value = ratio((values.get(numerator) or {}).get("value"), (values.get(denominator) or {}).get("value"))
            computed = ratio(
                (values.get(numerator) or {}).get("computed"), (values.get(denominator) or {}).get("computed")
            )
            result.append(Cell(field["key"], field["kind"], field_label(field), value, computed, is_ratio=True))
            continue
        result.append(
            Cell(
                field["key"],
                field["kind"],
                field_label(field),
                entry.get("value"),
                entry.get("computed"),
                entry.get("note", ""),
                is_summed=is_summed(field),
                options=tuple(field.get("options") or ()),
            )
        )
    return result


def total_values(fields: list[dict], children: list[dict]) -> dict:
    """The values of a total row: sums of the summed fields (value and computed); percentages follow."""
    totals = {}
    for field in fields:
        if not is_summed(field):
            continue
        for part in ("value", "computed"):
            figures = [(child.get(field["key"]) or {}).get(part) for child in children]
            figures = [figure for figure in figures if isinstance(figure, int)]
            totals.setdefault(field["key"], {})[part] = sum(figures) if figures else None
    return totals


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.key, str(indicator.label)) for indicator in indicators()]
