"""audit.services.model_update: the update tail (set, validate, save, log) of the services, written once."""

import pytest
from django.core.exceptions import ValidationError

from audit.choices import ChangeAction
from audit.models import ChangeLog
from audit.services import model_update, snapshot
from orgunits.models import Unit


def test_the_record_is_saved_and_logged_with_its_state_before_and_after(tree):
    unit = Unit.objects.get(pk=tree.cell_a1.pk)
    before = snapshot(unit)

    model_update(unit, data={"name": "Chi bộ thôn Một"}, actor=tree.users["admin_a"], reason="Đổi tên", unit=unit)

    assert Unit.objects.get(pk=unit.pk).name == "Chi bộ thôn Một"
    entry = ChangeLog.objects.for_object(unit).latest("pk")
    assert (entry.action, entry.actor, entry.reason, entry.unit) == (
        ChangeAction.UPDATE,
        tree.users["admin_a"],
        "Đổi tên",
        unit,
    )
    assert entry.prechange_data == before
    assert entry.postchange_data == {**before, "name": "Chi bộ thôn Một"}


def test_with_update_fields_only_the_fields_of_data_are_written(tree):
    unit = Unit.objects.get(pk=tree.cell_a1.pk)
    unit.code = "NOT-SAVED"

    model_update(unit, data={"name": "Chi bộ mới"}, actor=None, action=ChangeAction.STATUS, update_fields=True)

    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.name, stored.code) == ("Chi bộ mới", tree.cell_a1.code)
    assert ChangeLog.objects.for_object(unit).latest("pk").action == ChangeAction.STATUS


def test_an_invalid_record_is_refused_and_neither_saved_nor_logged(tree):
    unit = Unit.objects.get(pk=tree.cell_a1.pk)
    logged = ChangeLog.objects.count()

    with pytest.raises(ValidationError):
        model_update(unit, data={"name": ""}, actor=None)

    assert Unit.objects.get(pk=unit.pk).name == tree.cell_a1.name
    assert ChangeLog.objects.count() == logged
