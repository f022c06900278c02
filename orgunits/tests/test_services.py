import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.choices import ChangeAction
from audit.models import ChangeLog
from members.models import Member
from members.tests.factories import make_member
from orgunits.choices import UnitKind
from orgunits.models import Unit
from orgunits.services import unit_close, unit_create, unit_merge, unit_move, unit_update


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def tree_snapshot():
    return list(Unit.objects.order_by("pk").values_list("pk", "path", "closed_on", "name"))


def test_an_officer_creates_a_cell_under_their_commune_and_the_log_names_them(tree):
    officer = tree.users["officer_a"]

    cell = unit_create(
        actor=officer,
        parent=tree.commune_a,
        code="XA-C9",
        name=" Chi bộ  thôn 9 ",
        kind=UnitKind.ATTACHED_CELL,
        reason="Thành lập",
    )

    assert Unit.objects.get_parent(cell) == tree.commune_a
    assert cell.name == "Chi bộ thôn 9"
    entry = ChangeLog.objects.for_object(cell).get()
    assert (entry.actor, entry.action, entry.reason) == (officer, ChangeAction.CREATE, "Thành lập")


def test_a_cell_cannot_be_created_under_a_cell(tree):
    with pytest.raises(ValidationError) as error:
        unit_create(actor=None, parent=tree.cell_a1, code="BAD", name="Chi bộ con", kind=UnitKind.ATTACHED_CELL)

    assert error.value.message_dict == {"parent": ["A cell cannot have units under it."]}
    assert not Unit.objects.filter(code="BAD").exists()


def test_a_commune_committee_cannot_be_created_under_another_commune_committee(tree):
    with pytest.raises(ValidationError) as error:
        unit_create(actor=None, parent=tree.commune_a, code="BAD", name="Xã lồng", kind=UnitKind.COMMUNE_COMMITTEE)

    assert "cannot be placed under" in error.value.message_dict["parent"][0]


def test_unit_codes_are_unique(tree):
    with pytest.raises(ValidationError) as error:
        unit_create(actor=None, parent=tree.commune_a, code="XA-C1", name="Trùng mã", kind=UnitKind.ATTACHED_CELL)

    assert "code" in error.value.message_dict


def test_an_officer_cannot_create_units_in_a_sibling_commune(tree):
    before = tree_snapshot()

    with pytest.raises(PermissionDenied):
        unit_create(
            actor=tree.users["officer_b"], parent=tree.commune_a, code="XA-C9", name="x", kind=UnitKind.ATTACHED_CELL
        )

    assert tree_snapshot() == before


def test_a_viewer_cannot_rename_a_unit(tree):
    with pytest.raises(PermissionDenied):
        unit_update(actor=tree.users["province_viewer"], unit=tree.cell_a1, name="Tên mới")

    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.name == "Chi bộ thôn 1"


def test_renaming_keeps_the_code_and_logs_old_and_new_names(tree):
    unit_update(actor=tree.users["officer_a"], unit=tree.cell_a1, name="Chi bộ thôn Một", reason="Đổi tên")

    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.code, tree.cell_a1.name) == ("XA-C1", "Chi bộ thôn Một")
    entry = ChangeLog.objects.for_object(tree.cell_a1).filter(action=ChangeAction.UPDATE).get()
    assert entry.changed_fields() == [("name", "Chi bộ thôn 1", "Chi bộ thôn Một")]


def test_moving_a_grassroots_committee_moves_its_cells_and_members_stay_in_their_cell(tree):
    member = make_member(unit=tree.cell_ag1)

    unit_move(actor=None, unit=tree.grassroots_a, new_parent=tree.commune_b, reason="Sáp nhập địa giới")

    tree.cell_ag1.refresh_from_db()
    assert Unit.objects.get_parent(Unit.objects.get_parent(tree.cell_ag1)) == tree.commune_b
    member.refresh_from_db()
    assert member.unit == tree.cell_ag1
    entry = ChangeLog.objects.for_object(tree.grassroots_a).get(action=ChangeAction.MOVE)
    assert (entry.prechange_data["parent_code"], entry.postchange_data["parent_code"]) == ("XA", "XB")


def test_a_unit_cannot_be_moved_into_its_own_subtree(tree):
    before = tree_snapshot()

    with pytest.raises(ValidationError) as error:
        unit_move(actor=None, unit=tree.commune_a, new_parent=tree.grassroots_a)

    assert error.value.message_dict == {"parent": ["A unit cannot be moved into itself or into a unit under it."]}
    assert tree_snapshot() == before


def test_a_cell_cannot_be_moved_under_a_cell(tree):
    before = tree_snapshot()

    with pytest.raises(ValidationError) as error:
        unit_move(actor=None, unit=tree.cell_a2, new_parent=tree.cell_a1)

    assert error.value.message_dict == {"parent": ["A cell cannot have units under it."]}
    assert tree_snapshot() == before


def test_an_officer_cannot_move_a_cell_into_a_sibling_commune(tree):
    before = tree_snapshot()

    with pytest.raises(PermissionDenied):
        unit_move(actor=tree.users["officer_a"], unit=tree.cell_a2, new_parent=tree.commune_b)

    assert tree_snapshot() == before


def test_a_unit_with_current_members_cannot_be_closed(tree):
    with pytest.raises(ValidationError) as error:
        unit_close(actor=tree.users["officer_a"], unit=tree.cell_a1)

    assert "Members still belong" in error.value.message_dict["closed_on"][0]
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.is_open


def test_a_committee_with_open_units_under_it_cannot_be_closed(tree):
    with pytest.raises(ValidationError):
        unit_close(actor=None, unit=tree.grassroots_a)


def test_an_empty_cell_is_closed_with_its_date_and_nothing_can_be_added_under_a_closed_committee(tree):
    empty = unit_create(
        actor=None,
        parent=tree.commune_a,
        code="XA-G2",
        name="Đảng bộ cũ",
        kind=UnitKind.GRASSROOTS_COMMITTEE,
        opened_on=datetime.date(2010, 1, 1),
    )

    unit_close(actor=tree.users["officer_a"], unit=empty, closed_on=datetime.date(2025, 7, 1), reason="Giải thể")

    empty.refresh_from_db()
    assert empty.closed_on == datetime.date(2025, 7, 1)
    with pytest.raises(ValidationError):
        unit_create(actor=None, parent=empty, code="XA-G2-C1", name="x", kind=UnitKind.ATTACHED_CELL)


def test_a_cell_whose_only_members_have_died_can_be_closed_and_keeps_them(tree):
    cell = unit_create(
        actor=None, parent=tree.commune_a, code="XA-C8", name="Chi bộ thôn 8", kind=UnitKind.ATTACHED_CELL
    )
    deceased = make_member(unit=cell, status="deceased", died_on=datetime.date(2024, 1, 1))

    unit_close(actor=None, unit=cell)

    deceased.refresh_from_db()
    assert deceased.unit == cell


def test_merging_two_cells_moves_current_members_closes_the_old_cell_and_logs_each_member(tree):
    moved = tree.member_a2
    left = make_member(unit=tree.cell_a2, status="left", left_on=datetime.date(2020, 1, 1), leaving_form="resigned")

    unit_merge(actor=tree.users["officer_a"], source=tree.cell_a2, target=tree.cell_a1, reason="Sáp nhập thôn")

    tree.cell_a2.refresh_from_db()
    moved.refresh_from_db()
    left.refresh_from_db()
    assert moved.unit == tree.cell_a1
    assert left.unit == tree.cell_a2, "a past member stays in the register of the cell they belonged to"
    assert not tree.cell_a2.is_open and tree.cell_a2.merged_into == tree.cell_a1
    member_entry = ChangeLog.objects.for_object(moved).latest("time")
    assert member_entry.reason == "Sáp nhập thôn"
    assert (member_entry.prechange_data["unit_id"], member_entry.postchange_data["unit_id"]) == (
        tree.cell_a2.pk,
        tree.cell_a1.pk,
    )


def test_merging_two_communes_moves_the_cells_under_the_target(tree):
    unit_merge(actor=None, source=tree.commune_b, target=tree.commune_a)

    tree.cell_b1.refresh_from_db()
    tree.commune_b.refresh_from_db()
    assert Unit.objects.get_parent(tree.cell_b1) == tree.commune_a
    assert tree.commune_b.merged_into == tree.commune_a and not tree.commune_b.is_open
    assert Member.objects.get(pk=tree.member_b1.pk).unit == tree.cell_b1


def test_units_of_different_kinds_cannot_be_merged(tree):
    with pytest.raises(ValidationError) as error:
        unit_merge(actor=None, source=tree.cell_a2, target=tree.grassroots_a)

    assert error.value.message_dict == {"target": ["Only units of the same kind can be merged."]}
    assert Member.objects.get(pk=tree.member_a2.pk).unit == tree.cell_a2


def test_a_merge_outside_the_actors_scope_changes_nothing(tree):
    before = tree_snapshot()

    with pytest.raises(PermissionDenied):
        unit_merge(actor=tree.users["officer_a"], source=tree.cell_a2, target=tree.cell_b1)

    assert tree_snapshot() == before
    assert Member.objects.get(pk=tree.member_a2.pk).unit == tree.cell_a2
