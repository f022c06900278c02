"""Reads of the party tree."""

from orgunits.choices import UnitKind
from orgunits.selectors import unit_children
from orgunits.tests.factories import make_unit


def test_a_units_children_are_listed_in_vietnamese_order(tree):
    grassroots = make_unit(parent=tree.commune_a, kind=UnitKind.GRASSROOTS_COMMITTEE, name="Đảng bộ cơ sở X")
    for name in ["Chi bộ thôn 10", "Chi bộ Yên Lạc", "Chi bộ thôn 2", "Chi bộ Đông", "Chi bộ Dương"]:
        make_unit(parent=grassroots, name=name)

    names = [unit.name for unit in unit_children(actor=tree.users["officer_a"], unit=grassroots)]

    assert names == ["Chi bộ Dương", "Chi bộ Đông", "Chi bộ thôn 2", "Chi bộ thôn 10", "Chi bộ Yên Lạc"]
