"""A list of units from a file (orgunits/unit_import.py, manage.py import_units)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import ChangeLog
from orgunits.models import Unit
from orgunits.unit_import import read_unit_rows, units_import, units_plan

HEADER = "Mã tổ chức,Tên tổ chức,Loại tổ chức,Mã tổ chức cấp trên,Mã địa bàn\n"


def write(tmp_path, text: str):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return str(path)


ROWS = (
    # A cell listed before its parent committee: parents are placed first whatever the order.
    "XA-GR1-C1,Chi bộ Trường Tiểu học,attached_cell,XA-GR1,\n"
    "XA-GR1,Đảng bộ Trường học,Đảng bộ cơ sở,XA,\n"
    "XA-C9,Chi bộ thôn 9,Chi bộ trực thuộc,XA,AR-XA-T1\n"
)


def test_units_are_created_parents_first_through_the_services_and_logged(tree, tmp_path):
    out = io.StringIO()

    call_command("import_units", write(tmp_path, ROWS), "--commit", "--reason", "QĐ 5", stdout=out)

    committee = Unit.objects.get(code="XA-GR1")
    assert Unit.objects.get_parent(committee) == tree.commune_a and committee.kind == "grassroots_committee"
    assert Unit.objects.get_parent(Unit.objects.get(code="XA-GR1-C1")) == committee
    assert Unit.objects.get(code="XA-C9").area == tree.village_a1
    assert ChangeLog.objects.filter(reason="QĐ 5").count() == 3
    assert "3 to create, 0 to change, 0 unchanged" in out.getvalue()


def test_without_commit_nothing_is_written_and_the_plan_is_shown(tree, tmp_path):
    out = io.StringIO()

    call_command("import_units", write(tmp_path, ROWS), stdout=out)

    assert not Unit.objects.filter(code__in=["XA-GR1", "XA-GR1-C1", "XA-C9"]).exists()
    assert "create\tXA-GR1\t" in out.getvalue() and "nothing written" in out.getvalue()


def test_the_same_file_again_changes_nothing_and_a_new_name_renames(tree, tmp_path):
    call_command("import_units", write(tmp_path, ROWS), "--commit", stdout=io.StringIO())
    logged = ChangeLog.objects.count()
    out = io.StringIO()

    call_command("import_units", write(tmp_path, ROWS), "--commit", stdout=out)

    assert ChangeLog.objects.count() == logged
    assert "0 to create, 0 to change, 3 unchanged" in out.getvalue()
    call_command(
        "import_units",
        write(tmp_path, ROWS.replace("Chi bộ thôn 9", "Chi bộ thôn Chín")),
        "--commit",
        stdout=io.StringIO(),
    )
    assert Unit.objects.get(code="XA-C9").name == "Chi bộ thôn Chín"


def test_one_wrong_row_and_nothing_is_written_every_problem_named(tree, tmp_path):
    path = write(
        tmp_path,
        ROWS + "XA-C1,Chi bộ thôn 1,attached_cell,XB,\n"  # exists under XA, the file says XB
        "XA-X,,castle,NOPE,ZZ\n"
        "XA-C9-Z,Chi bộ con,attached_cell,XA-C9,\n",  # a cell under a cell
    )

    with pytest.raises(CommandError) as refused:
        call_command("import_units", path, "--commit", stdout=io.StringIO())

    message = str(refused.value)
    assert "Row 5:" in message and "Row 6:" in message and "Row 7:" in message and "Row 2:" not in message
    assert "castle" in message and "NOPE" in message and "ZZ" in message and "name" in message
    assert not Unit.objects.filter(code="XA-GR1").exists()


def test_an_officer_may_import_only_under_the_units_they_manage_each_refusal_named(tree):
    rows = read_unit_rows(
        "units.csv",
        (HEADER + "XB-C9,Chi bộ thôn 9,attached_cell,XB,\nXA-C9,Chi bộ thôn 9,attached_cell,XA,\n"
         "XA-C1,Chi bộ thôn 1,attached_cell,XA,\n").encode(),
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        units_plan(rows, actor=tree.users["officer_b"])

    assert refused.value.messages == [
        "Row 3: You may not create units under XA.",
        "Row 4: The code XA-C1 belongs to a unit you do not manage.",
    ]
    assert "Đảng bộ xã A" not in " ".join(refused.value.messages), "nothing of commune A beyond the codes in the file"
    with pytest.raises(ValidationError):
        units_import(actor=tree.users["officer_b"], rows=rows)
    assert not Unit.objects.filter(code__in=["XB-C9", "XA-C9"]).exists()
