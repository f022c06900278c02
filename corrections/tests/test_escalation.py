"""The daily escalation, through the command and the task."""

import datetime
import io

from django.core.management import call_command

from corrections.models import CorrectionRequest
from corrections.tasks import escalate_overdue_corrections
from corrections.tests.factories import make_request


def test_the_command_escalates_overdue_requests_and_a_second_run_does_nothing(tree):
    request = make_request(tree)
    day = (request.due_on + datetime.timedelta(days=1)).isoformat()
    first, second = io.StringIO(), io.StringIO()

    call_command("escalate_corrections", "--day", day, stdout=first)
    call_command("escalate_corrections", "--day", day, stdout=second)

    assert (first.getvalue().strip(), second.getvalue().strip()) == ("1 escalated", "0 escalated")
    assert CorrectionRequest.objects.get().assigned_unit == tree.commune_a


def test_the_task_escalates_requests_overdue_today(tree):
    request = make_request(tree)
    CorrectionRequest.objects.filter(pk=request.pk).update(due_on=datetime.date(2020, 1, 1))

    assert escalate_overdue_corrections.delay().get() == 1
