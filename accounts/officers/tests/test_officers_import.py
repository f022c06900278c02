"""Officer accounts and roles from a file (accounts/officers.py, manage.py import_officers)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from accounts.activation_codes import activation_code_check
from accounts.choices import RoleKind
from accounts.models import RoleAssignment, User
from accounts.officers.services import officers_plan, read_officer_rows
from accounts.tests.factories import make_user
from audit.models import ChangeLog

HEADER = "Tên đăng nhập,Họ và tên,Số điện thoại,Mã tổ chức,Vai trò\n"


def write(tmp_path, text: str, name="officers.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return str(path)


def test_accounts_are_created_with_their_roles_and_a_first_sign_in_code(tree, tmp_path):
    path = write(
        tmp_path,
        "hoang.lan,Hoàng Thị Lan,0912 345 601,XA,committee_officer\nhoang.lan,Hoàng Thị Lan,0912345601,XA-C1,cell_secretary\n",
    )
    out = io.StringIO()

    call_command("import_officers", path, "--reason", "QĐ 12-QĐ/ĐU", stdout=out)

    user = User.objects.get(username="hoang.lan")
    assert (user.last_name, user.first_name, user.phone) == ("Hoàng Thị", "Lan", "0912345601")
    assert set(RoleAssignment.objects.filter(user=user).values_list("unit__code", "role")) == {
        ("XA", RoleKind.COMMITTEE_OFFICER),
        ("XA-C1", RoleKind.CELL_SECRETARY),
    }
    username, code, _until = out.getvalue().splitlines()[0].split("\t")
    assert username == "hoang.lan"
    assert activation_code_check(identifier="hoang.lan", code=code).user == user
    assert ChangeLog.objects.filter(reason="QĐ 12-QĐ/ĐU").count() == 3, "the account and its two roles"
    assert "1 accounts created, 2 roles granted, 0 already held" in out.getvalue()


def test_the_same_file_again_changes_nothing(tree, tmp_path):
    path = write(tmp_path, "hoang.lan,Hoàng Thị Lan,0912345601,XA,Cán bộ cấp ủy\n")
    call_command("import_officers", path, stdout=io.StringIO())
    logged = ChangeLog.objects.count()
    out = io.StringIO()

    call_command("import_officers", path, stdout=out)

    assert User.objects.filter(username="hoang.lan").count() == 1
    assert ChangeLog.objects.count() == logged
    assert "0 accounts created, 0 roles granted, 1 already held" in out.getvalue()


def test_one_wrong_row_and_nothing_is_written_every_problem_named_by_row(tree, tmp_path):
    path = write(
        tmp_path,
        "ok.user,Nguyễn Văn Ổn,,XA,cell_secretary\n"
        "bad user!,,0900,NOPE,king\n"
        "ok.user,Nguyễn Văn Khác,,XA-C1,cell_secretary\n",
    )

    with pytest.raises(CommandError) as refused:
        call_command("import_officers", path, stdout=io.StringIO())

    message = str(refused.value)
    assert "Row 3:" in message and "Row 4:" in message and "Row 2:" not in message
    assert "NOPE" in message and "king" in message and "full name" in message and "10 digits" in message
    assert not User.objects.filter(username="ok.user").exists()


def test_an_xlsx_file_with_the_english_headings_is_read_too(tree, tmp_path):
    book = Workbook()
    book.active.append(["Username", "Full name", "Phone", "Unit code", "Role"])
    book.active.append(["tran.binh", "Trần Bình", None, "XA-C2", "supporter"])
    path = tmp_path / "officers.xlsx"
    book.save(path)

    call_command("import_officers", str(path), stdout=io.StringIO())

    assert RoleAssignment.objects.filter(user__username="tran.binh", unit__code="XA-C2", role="supporter").exists()


def test_a_file_without_a_column_is_refused_by_its_name(tree, tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text("Tên đăng nhập,Họ và tên\nx,y\n", encoding="utf-8")

    with pytest.raises(CommandError, match="so dien thoai|dien thoai"):
        call_command("import_officers", str(path), stdout=io.StringIO())


def test_a_phone_held_by_another_account_or_record_is_named_with_its_row(tree):
    tree.users["no_role"].phone = "0912345699"
    tree.users["no_role"].save(update_fields=["phone"])
    rows = read_officer_rows(
        "officers.csv",
        (HEADER + "ok.user,Nguyễn Văn Ổn,,XA,cell_secretary\nnew.user,Lê Văn Mới,0912 345 699,XA,viewer\n").encode(),
    )

    with pytest.raises(ValidationError) as refused:
        officers_plan(rows)

    assert refused.value.messages == [
        "Row 3: The phone number 0912345699 is already used by another member or account."
    ]
    assert not User.objects.filter(username__in=["ok.user", "new.user"]).exists()


def test_an_officer_grants_roles_only_in_their_scope_and_the_plan_writes_nothing(tree):
    admin_b = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.commune_b, username="admin_b")
    rows = read_officer_rows(
        "officers.csv",
        (HEADER + "b.user,Lê Văn Bê,,XB-C1,cell_secretary\na.user,Lê Văn A,,XA-C1,cell_secretary\n").encode(),
    )

    with pytest.raises(ValidationError) as refused:
        officers_plan(rows, actor=admin_b)

    assert refused.value.messages == ["Row 3: You may not grant roles in unit XA-C1."]
    plan = officers_plan(rows[:1], actor=admin_b)
    assert [grant.username for grant in plan.accounts_to_create] == ["b.user"] and len(plan.roles_to_grant) == 1
    assert not User.objects.filter(username="b.user").exists()
