"""Indicator values against hand-counted fixtures, for a party unit and for a village, now and as of a past date."""

import datetime

import pytest
from django.utils import timezone
from django.utils.timezone import localdate as today

from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.indicators import indicator_get
from members.choices import MemberStatus
from members.services import member_update
from members.tests.factories import make_member
from orgunits.choices import AreaKind
from orgunits.tests.factories import make_area
from rollout.activation.services import account_activate
from rollout.models import HelpSession, RecordVerification, Team, UnitDailyDelta
from rollout.services import help_session_log, member_verification_recorded


def last_month():
    return today() - datetime.timedelta(days=30)


def value(key, target, as_of=None):
    return indicator_get(key).compute(target, as_of or today())


@pytest.fixture
def village_two(tree):
    return make_area(parent=tree.area_a, kind=AreaKind.VILLAGE, name="Thôn 2", code="AR-XA-T2")


@pytest.fixture
def counted(tree, village_two):
    """Cell XA-C1 gets 4 more members (5 with member A1): 1 not eligible, 1 left the party, 2 activated, 1 verified.
    Thôn 1 is home to 3 of them (one of whom left), Thôn 2 to 1."""
    extra = [
        make_member(unit=tree.cell_a1, residence_area=tree.village_a1),
        make_member(
            unit=tree.cell_a1, residence_area=tree.village_a1, is_eligible=False, ineligibility_reason="illness"
        ),
        make_member(unit=tree.cell_a1, residence_area=tree.village_a1),
        make_member(unit=tree.cell_a1, residence_area=village_two),
    ]
    member_update(
        actor=None, member=extra[2], data={"status": MemberStatus.LEFT, "left_on": today(), "leaving_form": "resigned"}
    )
    for member in extra[:2]:
        account_activate(actor=None, user=make_user(member=member))
    member_verification_recorded(member=extra[0])
    return extra


def test_unit_figures_are_the_hand_counted_ones(tree, counted):
    # Member A1 + 4, less the one who left: 4 current; 3 eligible; 2 activated; 1 verified.
    assert value("members", tree.cell_a1) == 4
    assert value("eligible", tree.cell_a1) == 3
    assert value("activated", tree.cell_a1) == 2
    assert value("records_verified", tree.cell_a1) == 1
    # The commune adds member A2 (cell XA-C2).
    assert value("members", tree.commune_a) == 5


def test_village_figures_count_residents_on_the_roll(tree, counted, village_two):
    # Thôn 1: 3 residents, one left → 2 current, 1 eligible of them, 2 activated, 1 verified.
    assert value("members", tree.village_a1) == 2
    assert value("eligible", tree.village_a1) == 1
    assert value("activated", tree.village_a1) == 2
    assert value("records_verified", tree.village_a1) == 1
    assert value("members", village_two) == 1
    # The commune's area holds both villages.
    assert value("members", tree.area_a) == 3


def test_percentages_are_ratios_of_their_parts():
    assert indicator_get("activated_percent_of_eligible").ratio_of == ("activated", "eligible")
    assert indicator_get("activated_percent_of_members").ratio_of == ("activated", "members")


def test_figures_as_of_a_past_date_leave_out_what_came_after(tree, counted):
    # Given: everything so far happened last month; today one more member joins Thôn 1 and one moves away.
    past = timezone.now() - datetime.timedelta(days=30)
    UnitDailyDelta.objects.update(day=last_month())
    ChangeLog.objects.update(time=past)
    from accounts.models import User

    User.objects.filter(activated_at__isnull=False).update(activated_at=past)
    RecordVerification.objects.update(verified_at=past)
    make_member(unit=tree.cell_a1, residence_area=tree.village_a1)
    member_update(actor=None, member=counted[0], data={"residence_area": None})

    # Then: as of last month, the figures are those hand-counted above; today they moved.
    assert value("members", tree.cell_a1, last_month()) == 4
    assert value("members", tree.cell_a1) == 5
    assert value("members", tree.village_a1, last_month()) == 2
    assert value("activated", tree.village_a1, last_month()) == 2
    assert value("records_verified", tree.village_a1, last_month()) == 1
    # Today: A0 moved away (and was the verified, activated one), a new resident came.
    assert value("members", tree.village_a1) == 2
    assert value("activated", tree.village_a1) == 1
    assert value("records_verified", tree.village_a1) == 0
    # Before anything happened there was nobody.
    assert value("members", tree.village_a1, last_month() - datetime.timedelta(days=1)) == 0


def test_help_sessions_by_topic_for_a_unit_and_for_the_team_village(tree, counted):
    team = Team.objects.create(name="Tổ CNS thôn 1", unit=tree.commune_a, area=tree.village_a1)
    help_session_log(
        actor=tree.users["officer_a"], team=team, members=counted[:2], place="home", topic="install", outcome="done"
    )
    help_session_log(
        actor=tree.users["officer_a"], team=team, members=counted[:1], place="home", topic="log_in", outcome="done"
    )
    HelpSession.objects.filter(topic="log_in").update(happened_at=timezone.now() + datetime.timedelta(days=2))

    assert value("help_sessions", tree.cell_a1) == 2  # the log-in session is after the cut-off
    assert value("help_sessions_install", tree.cell_a1) == 2
    assert value("help_sessions_install", tree.village_a1) == 2
    assert value("help_sessions_log_in", tree.village_a1, today() + datetime.timedelta(days=3)) == 1
    assert value("help_sessions", tree.cell_a2) == 0


def test_corrections_by_state_as_of_the_cut_off(tree):
    from corrections.models import CorrectionEvent
    from corrections.services import correction_request_create, correction_request_decide

    [first] = correction_request_create(
        actor=tree.users["member_a1"], member=tree.member_a1, changes={"hometown": "Xã Tân Lập"}, reason="Sai"
    )
    correction_request_create(
        actor=tree.users["member_a1"], member=tree.member_a1, changes={"religion": "Không"}, reason="Sai"
    )
    correction_request_decide(actor=tree.users["secretary_a1"], request=first, decision="confirm")
    correction_request_decide(actor=tree.users["officer_a"], request=first, decision="reject", reason="Đúng rồi")

    assert value("corrections_requested", tree.cell_a1) == 2
    assert value("corrections_rejected", tree.cell_a1) == 1
    assert value("corrections_open", tree.cell_a1) == 1
    # Move the rejection to tomorrow: as of today it is still open.
    CorrectionEvent.objects.filter(kind="rejected").update(at=timezone.now() + datetime.timedelta(days=1))
    assert value("corrections_open", tree.cell_a1) == 2
    assert value("corrections_requested", tree.cell_b1) == 0


def test_members_helped_by_place_and_by_kind_of_team(tree, counted):
    digital = Team.objects.create(
        name="Tổ công nghệ số cộng đồng thôn 1",
        unit=tree.commune_a,
        area=tree.village_a1,
        kind="community_digital_team",
    )
    support = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a, kind="support_team")
    help_session_log(
        actor=tree.users["officer_a"], team=digital, members=counted[:2], place="village_meeting", topic="install",
        outcome="done",
    )  # fmt: skip
    help_session_log(
        actor=tree.users["officer_a"], team=support, members=counted[:1], place="home", topic="log_in", outcome="done"
    )

    assert value("help_place_village_meeting", tree.cell_a1) == 2
    assert value("help_place_home", tree.cell_a1) == 1
    assert value("help_place_mass_org", tree.cell_a1) == 0
    assert value("help_team_community_digital_team", tree.cell_a1) == 2
    assert value("help_team_support_team", tree.cell_a1) == 1
    # A village counts the sessions of the teams working there.
    assert value("help_team_community_digital_team", tree.village_a1) == 2
    assert value("help_place_home", tree.village_a1) == 0


def test_installs_are_counted_up_to_the_cut_off_for_a_unit_and_a_village(tree, counted):
    from accounts.models import AccountUse

    installed, later = (user for user in (member.user for member in counted[:2]))
    AccountUse.objects.update_or_create(user=installed, defaults={"app_installed_at": timezone.now()})
    AccountUse.objects.update_or_create(
        user=later, defaults={"app_installed_at": timezone.now() + datetime.timedelta(days=2)}
    )

    assert value("app_installed", tree.cell_a1) == 1
    assert value("app_installed", tree.cell_a1, today() + datetime.timedelta(days=3)) == 2
    assert value("app_installed", tree.village_a1) == 1
    assert value("app_installed", tree.cell_a2) == 0
