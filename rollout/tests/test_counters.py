"""The per-unit counters follow every change made through the services, in every ancestor."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.tests.factories import make_user
from members.choices import MemberStatus
from members.services import member_update, members_bulk_create, members_move_to_cell
from members.tests.factories import make_member, member_data
from rollout.activation.services import account_activate
from rollout.models import Team, UnitDailyDelta, UnitFigures
from rollout.recount import find_differences
from rollout.selectors import child_figures, unit_figures
from rollout.services import help_session_log, member_verification_recorded


def figures(unit):
    return unit_figures(unit=unit)


def test_the_tree_fixture_counts_its_members_in_each_cell_and_every_ancestor(tree):
    assert figures(tree.cell_a1).members == 1
    assert figures(tree.commune_a).members == 2
    assert figures(tree.province).members == 3
    assert figures(tree.central).members == 3
    assert figures(tree.commune_b).members == 1


def test_activating_a_members_account_counts_in_the_cell_and_its_ancestors(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    assert [figures(u).activated for u in (tree.cell_a1, tree.commune_a, tree.province, tree.commune_b)] == [1, 1, 1, 0]


def test_activating_twice_counts_once(tree):
    account_activate(actor=None, user=tree.users["member_a1"])
    account_activate(actor=None, user=tree.users["member_a1"])

    assert figures(tree.commune_a).activated == 1


def test_a_member_who_dies_leaves_members_eligible_and_activated(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    member_update(
        actor=None, member=tree.member_a1, data={"status": MemberStatus.DECEASED, "died_on": datetime.date(2026, 1, 2)}
    )

    result = figures(tree.commune_a)
    assert (result.members, result.eligible, result.activated) == (1, 1, 0)


def test_moving_a_member_to_another_cell_moves_their_activation_with_them(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    member_update(actor=None, member=tree.member_a1, data={"unit": tree.cell_b1})

    assert (figures(tree.cell_a1).activated, figures(tree.commune_a).activated) == (0, 0)
    assert (figures(tree.cell_b1).activated, figures(tree.commune_b).members) == (1, 2)
    assert figures(tree.province).activated == 1


def test_making_a_member_not_eligible_lowers_eligible_only(tree):
    member_update(
        actor=None, member=tree.member_a1, data={"is_eligible": False, "ineligibility_reason": "no_smartphone"}
    )

    result = figures(tree.commune_a)
    assert (result.members, result.eligible) == (2, 1)


def test_merging_cells_moves_every_current_member_and_their_activations(tree):
    account_activate(actor=None, user=tree.users["member_a1"])
    make_member(unit=tree.cell_a1)

    members_move_to_cell(actor=None, from_unit=tree.cell_a1, to_unit=tree.cell_a2, reason="merge")

    assert (figures(tree.cell_a1).members, figures(tree.cell_a2).members) == (0, 3)
    assert figures(tree.cell_a2).activated == 1
    assert figures(tree.commune_a).members == 3


def test_a_bulk_creation_counts_every_new_member_in_its_own_cell(tree):
    rows = [member_data(unit=tree.cell_a2) for _ in range(3)] + [
        member_data(unit=tree.cell_b1, is_eligible=False, ineligibility_reason="illness")
    ]

    members_bulk_create(actor=None, rows=rows, reason="import")

    assert figures(tree.cell_a2).members == 4
    assert (figures(tree.commune_b).members, figures(tree.commune_b).eligible) == (2, 1)
    assert figures(tree.central).members == 7


def test_a_verification_recorded_by_the_member_counts_once(tree):
    member_verification_recorded(member=tree.member_a1, when=timezone.now())
    member_verification_recorded(member=tree.member_a1, when=timezone.now())

    assert (figures(tree.cell_a1).verified, figures(tree.province).verified) == (1, 1)


def test_activated_over_eligible_can_pass_one_hundred_percent(tree):
    # Given two eligible members out of three in commune A, and all three activated
    member = make_member(unit=tree.cell_a2, is_eligible=False, ineligibility_reason="no_smartphone")
    for record in (tree.member_a1, tree.member_a2, member):
        user = tree.users["member_a1"] if record == tree.member_a1 else make_user(member=record)
        account_activate(actor=None, user=user)

    result = figures(tree.commune_a)

    assert (result.activated, result.eligible, result.members) == (3, 2, 3)
    assert str(result.percent_of_eligible) == "150.0"
    assert str(result.percent_of_members) == "100.0"


def test_figures_as_of_a_past_date_sum_the_daily_changes_up_to_that_date(tree):
    # Given activations recorded on two different days
    account_activate(actor=None, user=tree.users["member_a1"])
    UnitDailyDelta.objects.filter(day=timezone.localdate()).update(day=datetime.date(2026, 1, 10))
    account_activate(actor=None, user=make_user(member=tree.member_a2))

    # Then each date sees what had happened by its end
    assert unit_figures(unit=tree.commune_a, as_of=datetime.date(2026, 1, 9)).activated == 0
    assert unit_figures(unit=tree.commune_a, as_of=datetime.date(2026, 1, 10)).activated == 1
    assert unit_figures(unit=tree.commune_a, as_of=timezone.localdate() - datetime.timedelta(days=0)).activated == 2
    assert unit_figures(unit=tree.commune_a, as_of=datetime.date(2026, 1, 10)).members == 2


def test_child_figures_put_the_laggards_first(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    children = child_figures(unit=tree.commune_a)

    assert [figure.unit.code for figure in children][:2] == ["XA-C2", "XA-C1"]


def test_a_unit_figure_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        unit_figures(unit=tree.central)
    with django_assert_num_queries(1):
        unit_figures(unit=tree.central, as_of=datetime.date(2026, 1, 1))


def test_child_figures_take_the_same_queries_for_3_and_for_30_children(tree, django_assert_num_queries):
    from orgunits.tests.factories import make_unit

    with django_assert_num_queries(2):
        child_figures(unit=tree.commune_a)
    for index in range(27):
        make_unit(parent=tree.commune_a, name=f"Chi bộ {index}", code=f"XA-N{index}")
    with django_assert_num_queries(2):
        assert len(child_figures(unit=tree.commune_a)) == 30


def test_the_recount_finds_no_difference_after_changes_through_the_services(tree):
    account_activate(actor=None, user=tree.users["member_a1"])
    member_update(actor=None, member=tree.member_a2, data={"unit": tree.cell_b1})

    assert find_differences() == []


def test_the_recount_command_reports_a_counter_changed_behind_its_back(tree, capsys):
    from django.core.management.base import CommandError

    UnitFigures.objects.filter(unit=tree.commune_a).update(members=99)

    with pytest.raises(CommandError):
        call_command("recount_rollout")

    out = capsys.readouterr().out
    assert "XA\tfigures\tmembers\tkept=99\tcounted=2" in out


def test_the_recount_command_with_fix_rebuilds_counters_after_a_load_that_bypassed_the_services(tree, capsys):
    # Given members written straight to the table (as the synthetic generator's COPY does) and counters wiped
    from members.models import Member

    Member.objects.bulk_create([Member(**{**member_data(unit=tree.cell_ag1), "search_name": "x"}) for _ in range(5)])
    UnitFigures.objects.all().delete()

    call_command("recount_rollout", "--fix")

    assert figures(tree.commune_a).members == 7
    assert figures(tree.cell_ag1).members == 5
    assert find_differences() == []
    assert unit_figures(unit=tree.commune_a, as_of=timezone.localdate()).members == 7


def test_fixing_twice_in_a_day_corrects_changed_rows_and_todays_history_row(tree, capsys):
    # Given a counter changed behind the services' back, fixed, then changed again the same day
    UnitFigures.objects.filter(unit=tree.commune_a).update(members=99)
    call_command("recount_rollout", "--fix")
    UnitFigures.objects.filter(unit=tree.commune_a).update(members=50)
    todays_history = UnitDailyDelta.objects.filter(unit=tree.commune_a, day=timezone.localdate())
    assert todays_history.update(members=F("members") + 3) == 1

    call_command("recount_rollout", "--fix")

    # Then the row and the sum of the history both agree with the recount again
    assert figures(tree.commune_a).members == 2
    assert find_differences() == []
    assert "Fixed 1 units." in capsys.readouterr().out


def test_moving_a_unit_moves_its_figures_to_the_new_ancestors(tree):
    from orgunits.services import unit_move

    account_activate(actor=None, user=tree.users["member_a1"])

    unit_move(actor=None, unit=tree.cell_a1, new_parent=tree.commune_b)

    assert find_differences() == []
    assert (figures(tree.commune_a).activated, figures(tree.commune_b).activated) == (0, 1)
    assert figures(tree.province).activated == 1


def test_the_nightly_check_task_counts_the_differences(tree):
    from rollout.tasks import rollout_counters_check

    assert rollout_counters_check.delay().get() == 0
    UnitFigures.objects.filter(unit=tree.cell_a1).update(activated=5)
    assert rollout_counters_check.delay().get() == 1  # the cell's kept figure; its history still agrees


def test_counts_added_in_several_statements_add_up_as_in_one(tree, monkeypatch):
    from rollout import counters

    monkeypatch.setattr(counters, "_UNITS_PER_UPDATE", 2)
    before = {unit.pk: figures(unit).members for unit in (tree.cell_a1, tree.cell_b1, tree.central)}

    members_bulk_create(
        actor=None, rows=[member_data(unit=tree.cell_a1), member_data(unit=tree.cell_b1)], reason="import"
    )

    assert figures(tree.cell_a1).members == before[tree.cell_a1.pk] + 1
    assert figures(tree.cell_b1).members == before[tree.cell_b1.pk] + 1
    assert figures(tree.central).members == before[tree.central.pk] + 2


def test_the_subtree_recount_gives_all_five_figures_of_the_unit_and_each_child(tree):
    from rollout.recount import recounted_subtree

    account_activate(actor=None, user=tree.users["member_a1"])
    member_verification_recorded(member=tree.member_a1)
    make_member(
        unit=tree.cell_a1, residence_area=tree.village_a1, is_eligible=False, ineligibility_reason="no_smartphone"
    )
    helped = make_member(unit=tree.cell_a2, residence_area=tree.village_a1)
    team = Team.objects.create(name="Tổ CNS thôn 1", unit=tree.commune_a, area=tree.village_a1)
    help_session_log(
        actor=tree.users["officer_a"],
        team=team,
        members=[helped],
        place="home",
        topic="install",
        outcome="done",
    )

    recounted = recounted_subtree(tree.commune_a)

    kept = {
        figure.unit.pk: figure for figure in [unit_figures(unit=tree.commune_a), *child_figures(unit=tree.commune_a)]
    }
    assert set(recounted) == set(kept)
    for pk, counts in recounted.items():
        assert counts.as_dict() == {name: getattr(kept[pk], name) for name in counts.as_dict()}
    assert recounted[tree.commune_a.pk].members == 4
    assert recounted[tree.cell_a1.pk].activated == 1 and recounted[tree.cell_a1.pk].verified == 1
    assert (recounted[tree.cell_a1.pk].members, recounted[tree.cell_a1.pk].eligible) == (2, 1)
    assert recounted[tree.cell_a2.pk].help_sessions == 1 and recounted[tree.commune_a.pk].help_sessions == 1


def test_verifications_recorded_in_bulk_count_once_on_the_day_each_happened(tree):
    from rollout.services import member_verifications_recorded_in_bulk

    earlier = timezone.now() - datetime.timedelta(days=3)
    member_verification_recorded(member=tree.member_a1)
    second = make_member(unit=tree.cell_a1)

    recorded = member_verifications_recorded_in_bulk(verifications=[(tree.member_a1, earlier), (second, earlier)])

    assert recorded == 1, "A1 had verified already"
    assert figures(tree.cell_a1).verified == 2 and figures(tree.province).verified == 2
    day = timezone.localdate(earlier)
    assert UnitDailyDelta.objects.get(unit=tree.commune_a, day=day).verified == 1
    assert find_differences() == []
