"""The member and the cell's secretary are reminded once from the 11th month of probation; once late, the secretary
and the deciding committee once; nothing goes out twice, whatever the number of runs."""

import datetime
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from admission import services
from admission.models import ProbationCase
from notifications.models import Notification

from .factories import make_probationary

pytestmark = pytest.mark.django_db
# Admitted on 15 March 2026: the 11th month starts on 15 January 2027, probation ends on 15 March 2027 (a Monday).
JOINED = datetime.date(2026, 3, 15)


def run(day, capture):
    with capture(execute=True):
        return services.probation_send_reminders(day=day)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_the_member_and_the_secretary_are_reminded_once_from_the_11th_month(tree, django_capture_on_commit_callbacks):
    member = make_probationary(tree, joined_on=JOINED)
    account = User.objects.get(member=member)

    assert run(datetime.date(2027, 1, 14), django_capture_on_commit_callbacks) == (0, 0)
    assert ProbationCase.objects.filter(member=member).exists()  # the daily run opened the case

    assert run(datetime.date(2027, 1, 15), django_capture_on_commit_callbacks) == (1, 0)
    run(datetime.date(2027, 2, 20), django_capture_on_commit_callbacks)

    assert kinds(account) == ["admission.probation_due"]
    assert kinds(tree.users["secretary_a1"]) == ["admission.probation_due"]
    assert kinds(tree.users["officer_a"]) == []
    assert kinds(tree.users["officer_b"]) == []


def test_once_late_the_secretary_and_the_committee_are_told_once(tree, django_capture_on_commit_callbacks):
    make_probationary(tree, joined_on=JOINED)

    assert run(datetime.date(2027, 3, 15), django_capture_on_commit_callbacks) == (1, 0)  # the due day itself
    assert run(datetime.date(2027, 3, 16), django_capture_on_commit_callbacks) == (0, 1)
    run(datetime.date(2027, 3, 17), django_capture_on_commit_callbacks)

    assert kinds(tree.users["secretary_a1"]) == ["admission.probation_due", "admission.probation_late"]
    assert kinds(tree.users["officer_a"]) == ["admission.probation_late"]
    assert kinds(tree.users["officer_b"]) == []


def test_a_due_date_on_a_holiday_is_late_only_after_the_next_working_day(tree, django_capture_on_commit_callbacks):
    from common.models import PublicHoliday

    # Probation ends on Friday 1 January 2027, a holiday; the next working day is Monday 4 January.
    PublicHoliday.objects.get_or_create(day=datetime.date(2027, 1, 1), defaults={"name": "Tết Dương lịch"})
    make_probationary(tree, joined_on=datetime.date(2026, 1, 1))

    assert run(datetime.date(2027, 1, 4), django_capture_on_commit_callbacks)[1] == 0
    assert run(datetime.date(2027, 1, 5), django_capture_on_commit_callbacks)[1] == 1
    assert kinds(tree.users["officer_a"]) == ["admission.probation_late"]


def test_the_daily_command_says_what_it_sent(tree):
    make_probationary(tree, joined_on=JOINED)
    out = io.StringIO()
    call_command("send_probation_reminders", day=datetime.date(2027, 3, 20), stdout=out)
    assert out.getvalue().strip() == "0 probations due reminded, 1 late"
