"""Activating many members at once, each at its own time (the demo's weeks of rollout)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AccountUse, User
from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests import clock
from members.choices import MemberStatus
from members.tests.factories import make_member
from rollout.activation.services import accounts_activate_in_bulk
from rollout.selectors import unit_figures


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_each_activation_counts_on_its_own_day_with_a_dated_change_log(tree):
    new = make_member(unit=tree.cell_a1)  # no account yet
    waiting = tree.users["member_a1"]  # an account waiting for its activation

    activated = accounts_activate_in_bulk(actor=None, activations=[(new, days_ago(20)), (waiting.member, days_ago(3))])

    assert activated == 2
    assert unit_figures(unit=tree.commune_a, as_of=clock.TODAY - datetime.timedelta(days=10)).activated == 1
    assert unit_figures(unit=tree.commune_a).activated == 2
    user = User.objects.get(member=new)
    assert not user.has_usable_password(), "the member still chooses a password"
    logged = ChangeLog.objects.get(object_id=user.pk, action=ChangeAction.ACTIVATE)
    assert logged.time == user.activated_at and logged.unit_id == tree.cell_a1.pk
    waiting.refresh_from_db()
    assert timezone.localdate(waiting.activated_at) == clock.TODAY - datetime.timedelta(days=3)
    assert AccountUse.objects.get(user=waiting).first_used_at == waiting.activated_at


def test_a_member_already_activated_is_left_as_it_was(tree):
    member = make_member(unit=tree.cell_a1)
    accounts_activate_in_bulk(actor=None, activations=[(member, days_ago(5))])
    first = User.objects.get(member=member).activated_at

    assert accounts_activate_in_bulk(actor=None, activations=[(member, days_ago(1))]) == 0
    assert User.objects.get(member=member).activated_at == first
    assert unit_figures(unit=tree.commune_a).activated == 1


def test_a_member_who_died_is_refused_and_nothing_is_written(tree):
    member = make_member(unit=tree.cell_a1)
    died = make_member(unit=tree.cell_a1, status=MemberStatus.DECEASED, died_on=clock.TODAY, status_since=clock.TODAY)

    with pytest.raises(ValidationError):
        accounts_activate_in_bulk(actor=None, activations=[(member, days_ago(2)), (died, days_ago(2))])
    assert not User.objects.filter(member__in=[member, died]).exists()
