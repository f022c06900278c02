"""The registry of indicators: figures computed from live data for a unit or an area, as of a date.

Report templates (the reports app) pick fields from this registry. Any app adds its own figures in an
`indicators.py` module of its own, loaded when Django starts:

    register(Indicator(key="meetings_held", label=gettext_lazy("Meetings held"), compute=meetings_held))

`compute(target, as_of)` gets a party unit (`orgunits.Unit`) or an administrative area
(`orgunits.AdminArea`) and a cut-off date, and returns the figure for the target's whole subtree as it
stood at the end of that day. It returns None when the figure means nothing for that kind of target.
A percentage is not computed directly: it names its numerator and denominator (`ratio_of`), so that
aggregating up the tree sums both parts and divides once, never averaging percentages.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    compute: Callable[[object, datetime.date], int | None] | None = None
    ratio_of: tuple[str, str] | None = None
    help_text: str = ""

    def __post_init__(self):
        if (self.compute is None) == (self.ratio_of is None):
            raise ValueError(f"Indicator {self.key!r} needs either compute or ratio_of, not both.")


_registry: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.key in _registry and _registry[indicator.key] != indicator:
        raise ValueError(f"Indicator {indicator.key!r} is registered twice.")
    if indicator.ratio_of:
        missing = [key for key in indicator.ratio_of if key not in _registry]
        if missing:
            raise ValueError(f"Indicator {indicator.key!r} is a ratio of unregistered {missing}.")
    _registry[indicator.key] = indicator
    return indicator


def indicator_get(key: str) -> Indicator:
    return _registry[key]


def indicators() -> list[Indicator]:
    """Every registered indicator, in registration order."""
    return list(_registry.values())


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if numerator is None or not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def autodiscover() -> None:
    autodiscover_modules("indicators")
