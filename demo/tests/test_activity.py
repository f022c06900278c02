"""The rollout activity added to a synthetic set: exact figures, a history that climbs over eight weeks, lagging cells."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from common.tests import clock
from demo.activity import ActivityExists, generate_activity
from demo.synthetic import SyntheticSpec, generate_synthetic
from members.choices import CURRENT_STATUSES
from members.models import Member
from orgunits.choices import CELL_KINDS
from orgunits.models import Unit
from rollout.models import HelpSession, HelpSessionMember, RecordVerification, Team, UnitDailyDelta, UnitFigures
from rollout.recount import find_differences
from rollout.selectors import activation_trend, unit_figures

SPEC = SyntheticSpec(provinces=1, communes=2, grassroots=2, cells=40, members=1_200, seed=5, as_of=clock.TODAY)


@pytest.fixture
def activity(db):
    generate_synthetic(SPEC)
    return generate_activity(as_of=clock.TODAY, seed=5)


def test_the_figures_and_their_history_agree_with_a_recount_of_the_rows(activity):
    assert find_differences() == []
    central = unit_figures(unit=Unit.objects.get(depth=1))
    current = Member.objects.filter(status__in=CURRENT_STATUSES)
    assert central.members == current.count()
    assert central.activated == activity.activated == User.objects.filter(activated_at__isnull=False).count()
    assert central.verified == activity.verified == RecordVerification.objects.count()
    assert central.help_sessions == activity.helped == HelpSessionMember.objects.count()
    assert activity.sessions == HelpSession.objects.count() and activity.teams == Team.objects.count() == 2


def test_most_members_are_activated_some_wait_and_exempt_members_activate_too(activity):
    central = unit_figures(unit=Unit.objects.get(depth=1))
    assert 0.80 < central.activated / central.members < 0.95
    assert User.objects.filter(member__isnull=False, activated_at__isnull=True).exists(), "accounts issued, waiting"
    assert User.objects.filter(member__is_eligible=False, activated_at__isnull=False).exists()
    assert 0.3 < activity.verified / activity.activated < 0.5


def test_activations_climb_over_the_eight_weeks_and_none_is_after_the_day(activity):
    central = Unit.objects.get(depth=1)
    trend = activation_trend(unit=central, days=60, today=clock.TODAY)
    activated = [point[1] for point in trend]
    assert activated[0] == 0, "nobody before the eight weeks"
    assert activated == sorted(activated)
    assert activated[-1] == unit_figures(unit=central).activated
    assert activated[28] > 0 and activated[28] < activated[-1], "some activated half-way, more by the end"
    assert not User.objects.filter(activated_at__date__gt=clock.TODAY).exists()


def test_some_cells_lag_behind_the_others(activity):
    shares = []
    for cell in Unit.objects.filter(kind__in=CELL_KINDS):
        figures = unit_figures(unit=cell)
        if figures.eligible >= 10:
            shares.append(figures.activated / figures.eligible)
    assert min(shares) < 0.7 < max(shares)


def test_the_help_sessions_are_held_by_the_communes_teams_at_meetings_at_home_and_online(activity):
    assert set(HelpSession.objects.values_list("place", flat=True)) == {"cell_meeting", "home", "remote"}
    for session in HelpSession.objects.select_related("team__unit")[:50]:
        for helped in session.helped.select_related("unit"):
            assert helped.unit.path.startswith(session.team.unit.path)


def test_activity_goes_only_onto_an_untouched_set(activity):
    with pytest.raises(ActivityExists):
        generate_activity(as_of=clock.TODAY, seed=5)
    with pytest.raises(CommandError, match="already has member accounts"):
        call_command("synthetic_activity", "--as-of", clock.TODAY.isoformat())


def test_the_same_seed_gives_the_same_activity(db):
    generate_synthetic(SPEC)
    generate_activity(as_of=clock.TODAY, seed=9)
    first = rows_of_activity()
    for model in (HelpSessionMember, HelpSession, RecordVerification, UnitDailyDelta, UnitFigures, Team):
        model.objects.all().delete()
    User.objects.all().delete()

    generate_activity(as_of=clock.TODAY, seed=9)

    assert rows_of_activity() == first
    assert first[0], "accounts were made"


def rows_of_activity():
    return (
        sorted(User.objects.filter(member__isnull=False).values_list("member_id", "activated_at")),
        sorted(RecordVerification.objects.values_list("member_id", "verified_at")),
        sorted(HelpSessionMember.objects.values_list("member_id", "session__place", "session__happened_at")),
    )
