"""What lives in a unit, as the unit's own pages and services need to know it, without importing the apps above.

Units hold things owned by apps higher up the layers (members, in `members`). Closing a unit must refuse while they
are still there, merging a cell must take them along, and the unit pages show how many members each subtree has.
The owning app registers how in its AppConfig.ready(); orgunits calls the registry and never imports that app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

from .models import Unit

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class UnitContents:
    """One kind of thing that lives in a unit."""

    name: str
    # Whether any is still current in the unit's subtree (closing the unit is then refused, with this message).
    present_in_subtree: Callable[[Unit], bool]
    present_message: str
    # Moves every current one from a cell to the cell it is merged into: keyword arguments actor, from_unit,
    # to_unit, reason; checks the actor's permission and writes the change log like any service.
    move_to_cell: Callable[..., object]


_registry: dict[str, UnitContents] = {}
_headcount: Callable[[list[Unit]], dict[int, int]] | None = None


def register(contents: UnitContents) -> None:
    _registry[contents.name] = contents


def register_headcount(counter: Callable[[list[Unit]], dict[int, int]]) -> None:
    """`counter(units)` gives the current members of each unit's subtree, by unit id, for the unit pages."""
    global _headcount
    _headcount = counter


def contents_present_in_subtree(unit: Unit) -> list[UnitContents]:
    return [contents for contents in _registry.values() if contents.present_in_subtree(unit)]


def contents_move_to_cell(*, actor: "User", from_unit: Unit, to_unit: Unit, reason: str) -> None:
    for contents in _registry.values():
        contents.move_to_cell(actor=actor, from_unit=from_unit, to_unit=to_unit, reason=reason)


def headcounts(units: list[Unit]) -> dict[int, int]:
    if _headcount is None:
        raise ImproperlyConfigured("No app registered the unit headcount (members registers it in its AppConfig).")
    return _headcount(units)
