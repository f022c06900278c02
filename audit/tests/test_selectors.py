"""Reading the change log back (audit/selectors.py): a record's history, and its state at any instant."""

import datetime

from audit.choices import ChangeAction
from audit.selectors import object_history, object_state_as_of
from audit.services import change_log, snapshot
from common.tests.clock import NOW
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.services import unit_create

# After everything the tree fixture wrote (its clock ticks from NOW).
LATER = NOW + datetime.timedelta(days=1)


def _rename(unit: Unit, name: str) -> None:
    before = snapshot(unit)
    unit.name = name
    unit.save(update_fields=["name"])
    change_log(actor=None, obj=unit, action=ChangeAction.UPDATE, before=before, after=snapshot(unit), unit=unit)


def _new_cell(tree) -> Unit:
    return unit_create(
        actor=None, parent=tree.commune_b, code="XB-C9", name="Chi bộ thôn 9", kind=UnitKind.ATTACHED_CELL
    )


def test_a_records_history_is_its_own_rows_newest_first(tree, time_machine):
    time_machine.move_to(LATER, tick=False)
    cell = _new_cell(tree)
    time_machine.move_to(LATER + datetime.timedelta(hours=1), tick=False)
    _rename(cell, "Chi bộ thôn Chín")
    _rename(tree.cell_b1, "Chi bộ thôn Một")

    history = object_history(obj=cell)

    assert [(entry.action, entry.object_id) for entry in history] == [
        (ChangeAction.UPDATE, cell.pk),
        (ChangeAction.CREATE, cell.pk),
    ]


def test_two_rows_written_in_the_same_instant_read_back_in_the_order_written(tree, time_machine):
    time_machine.move_to(LATER, tick=False)
    _rename(tree.cell_a1, "Tên thứ nhất")
    _rename(tree.cell_a1, "Tên thứ hai")

    newest = object_history(obj=tree.cell_a1)[0]

    assert newest.postchange_data["name"] == "Tên thứ hai"


def test_a_record_reads_back_as_it_stood_at_any_instant_and_not_at_all_before_it_existed(tree, time_machine):
    created_at = LATER
    renamed_at = LATER + datetime.timedelta(days=1)
    time_machine.move_to(created_at, tick=False)
    cell = _new_cell(tree)
    original = snapshot(cell)
    time_machine.move_to(renamed_at, tick=False)
    _rename(cell, "Chi bộ đổi tên")

    def as_of(when):
        return object_state_as_of(model=Unit, object_id=cell.pk, when=when)

    assert as_of(created_at - datetime.timedelta(seconds=1)) is None
    assert as_of(created_at) == original
    assert as_of(renamed_at - datetime.timedelta(seconds=1))["name"] == "Chi bộ thôn 9"
    assert as_of(renamed_at)["name"] == "Chi bộ đổi tên"
