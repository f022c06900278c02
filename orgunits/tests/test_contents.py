"""The registry of what lives in a unit (orgunits/contents.py): closing and merging reach it without importing the
apps that own the contents."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.choices import CURRENT_STATUSES
from members.models import Member
from members.tests.factories import make_member
from orgunits import contents
from orgunits.services import unit_close, unit_merge


class FakeContents:
    """Stands for an app's contents: present in the units it was given, records the moves asked of it."""

    def __init__(self, present_in: set[int]):
        self.present_in = present_in
        self.moves: list[tuple] = []

    def as_registered(self) -> contents.UnitContents:
        return contents.UnitContents(
            name="fake",
            present_in_subtree=lambda unit: unit.pk in self.present_in,
            present_message="Fake things are still here.",
            move_to_cell=lambda *, actor, from_unit, to_unit, reason: self.moves.append((from_unit, to_unit, reason)),
        )


@pytest.fixture
def fake_only(monkeypatch):
    """The registry holding only a fake kind of contents, for the duration of a test."""

    def install(fake: FakeContents) -> FakeContents:
        monkeypatch.setattr(contents, "_registry", {})
        contents.register(fake.as_registered())
        return fake

    return install


def test_members_register_themselves_as_contents_of_units_when_the_project_starts():
    assert "members" in contents._registry
    assert contents._headcount is not None


def test_closing_a_unit_is_refused_with_the_message_of_the_contents_still_in_it(tree, fake_only):
    fake_only(FakeContents(present_in={tree.cell_b1.pk}))

    with pytest.raises(ValidationError) as error:
        unit_close(actor=None, unit=tree.cell_b1)

    assert error.value.message_dict["closed_on"] == ["Fake things are still here."]
    tree.cell_b1.refresh_from_db()
    assert tree.cell_b1.is_open


def test_merging_a_cell_asks_every_registered_contents_to_move_to_the_target(tree, fake_only):
    fake = fake_only(FakeContents(present_in=set()))

    unit_merge(actor=None, source=tree.cell_a2, target=tree.cell_a1, reason="Sáp nhập")

    assert [(source.pk, target.pk, reason) for source, target, reason in fake.moves] == [
        (tree.cell_a2.pk, tree.cell_a1.pk, "Sáp nhập")
    ]


def test_the_unit_headcount_is_what_members_count_in_each_subtree(tree):
    make_member(unit=tree.cell_a1, status="left", left_on=datetime.date(2020, 1, 1), leaving_form="resigned")

    counts = contents.headcounts([tree.commune_a, tree.cell_a1, tree.cell_b1])

    current_in = {
        unit.pk: Member.objects.filter(unit__path__startswith=unit.path, status__in=CURRENT_STATUSES).count()
        for unit in (tree.commune_a, tree.cell_a1, tree.cell_b1)
    }
    assert counts == current_in
    assert counts[tree.commune_a.pk] > counts[tree.cell_a1.pk] > 0
