"""audit.services.model_create: the create tail (validate, save, log) of the services, written once."""

import pytest
from django.core.exceptions import ValidationError

from audit.choices import ChangeAction
from audit.models import ChangeLog
from audit.services import model_create, snapshot
from notifications.models import Notification


def test_the_record_is_saved_and_its_creation_logged_with_the_whole_record(tree):
    officer = tree.users["admin_a"]
    notification = Notification(user=officer, kind="notice", title="Họp chi bộ")

    returned = model_create(notification, actor=officer, unit=tree.cell_a1, reason="Thử")

    assert returned is notification and notification.pk is not None
    entry = ChangeLog.objects.for_object(notification).get()
    assert (entry.action, entry.actor, entry.reason, entry.unit) == (ChangeAction.CREATE, officer, "Thử", tree.cell_a1)
    assert entry.prechange_data is None
    assert entry.postchange_data == snapshot(Notification.objects.get(pk=notification.pk))


def test_an_invalid_record_is_refused_and_neither_saved_nor_logged(tree):
    logged = ChangeLog.objects.count()

    with pytest.raises(ValidationError):
        model_create(Notification(user=tree.users["admin_a"], kind="notice", title=""), actor=None)

    assert not Notification.objects.exists()
    assert ChangeLog.objects.count() == logged
