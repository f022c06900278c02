import pytest
from django.core.management import CommandError, call_command

from accounts.choices import Permission
from accounts.scoping import has_unit_permission
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from orgunits.models import Unit


def test_create_unit_and_grant_role_commands_build_a_usable_tree(db):
    call_command("create_unit", code="TW", name="Trung ương", kind="central")
    call_command("create_unit", parent="TW", code="HY", name="Đảng bộ tỉnh Hưng Yên", kind="province_committee")
    user = make_user(username="tinhuy")

    call_command("grant_role", "tinhuy", "committee_admin", "HY")

    province = Unit.objects.get(code="HY")
    assert has_unit_permission(user, Permission.UNIT_MANAGE, province)
    assert set(ChangeLog.objects.filter(object_id=province.pk).values_list("source", flat=True)) == {"command"}


def test_create_unit_reports_a_rule_violation_as_a_command_error(db):
    call_command("create_unit", code="TW", name="Trung ương", kind="central")

    with pytest.raises(CommandError, match="parent"):
        call_command("create_unit", parent="TW", code="C1", name="Chi bộ", kind="attached_cell")
    assert not Unit.objects.filter(code="C1").exists()
