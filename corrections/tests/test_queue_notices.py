"""Those who decide hear that requests wait in their queue: once a day, the nearest deciders only."""

import datetime

from corrections.services import correction_requests_escalate
from corrections.tests.factories import make_request
from notifications.models import Notification


def waiting(user):
    return Notification.objects.filter(user=user, url="/corrections/queue/")


def test_the_cells_secretary_hears_of_a_new_request_once_a_day_and_the_commune_does_not(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(tree)
    with django_capture_on_commit_callbacks(execute=True):
        make_request(tree, field="hometown", value="Xã Đông Hải, tỉnh Thái Bình")

    assert request.assigned_unit == tree.cell_a1
    assert waiting(tree.users["secretary_a1"]).count() == 1
    assert not waiting(tree.users["officer_a"]).exists()
    assert not waiting(tree.users["officer_b"]).exists()


def test_an_overdue_request_moved_up_is_announced_to_the_commune(tree, django_capture_on_commit_callbacks):
    request = make_request(tree)
    day = request.due_on + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert correction_requests_escalate(day=day) == 1

    assert waiting(tree.users["officer_a"]).count() == 1
    assert waiting(tree.users["admin_a"]).count() == 1
