"""Reminders before the deadline to the closest filers who have not filed, once; one digest of late units after it."""

import datetime

import pytest
from django.core.management import call_command
from django.utils.timezone import localdate as today

from notifications.models import Notification
from orgunits.choices import AreaKind, UnitKind
from reports import services
from reports.choices import TargetTree

from .factories import make_campaign, make_template


@pytest.fixture
def campaign(tree):
    template = make_template(unit=tree.province)
    return make_campaign(
        unit=tree.commune_a,
        template=template,
        target_kind=UnitKind.ATTACHED_CELL,
        deadline=today() + datetime.timedelta(days=2),
    )


def run(day, capture):
    with capture(execute=True):
        return services.reports_send_reminders(day=day)


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_filers_are_reminded_once_in_the_days_before_the_deadline(tree, campaign, django_capture_on_commit_callbacks):
    secretary = tree.users["secretary_a1"]
    # Too early: 3 days before is the first day (remind_days_before=3); the deadline is in 2 days.
    assert run(today() - datetime.timedelta(days=2), django_capture_on_commit_callbacks) == (0, 0)

    run(today(), django_capture_on_commit_callbacks)
    run(today() + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert titles(secretary) == ["reports.reminder"]
    # Cells without a secretary: the reminder goes to the nearest unit above with filers (the commune's officers).
    officer = tree.users["officer_a"]
    assert Notification.objects.filter(user=officer, kind="reports.reminder").count() == 2
    assert titles(tree.users["officer_b"]) == []
    assert titles(tree.users["member_a1"]) == []


def test_filed_reports_are_not_reminded(tree, campaign, django_capture_on_commit_callbacks):
    report = campaign.submissions.get(target_unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]
    services.submission_save(actor=secretary, submission=report, values={"households": 1})
    services.submission_submit(actor=secretary, submission=report)

    run(today(), django_capture_on_commit_callbacks)

    assert titles(secretary) == []


def test_after_the_deadline_one_digest_of_late_units_goes_to_the_issuing_unit(
    tree, campaign, django_capture_on_commit_callbacks
):
    later = campaign.deadline + datetime.timedelta(days=1)
    for offset in range(3):
        run(later + datetime.timedelta(days=offset), django_capture_on_commit_callbacks)

    digests = Notification.objects.filter(kind="reports.late_digest")
    officer, admin = tree.users["officer_a"], tree.users["admin_a"]
    assert sorted(digests.values_list("user__username", flat=True)) == sorted([officer.username, admin.username])
    digest = digests.get(user=officer)
    assert "Chi bộ thôn 1" in digest.body and "Chi bộ giáo viên" in digest.body
    assert "3" in digest.title
    assert titles(tree.users["secretary_a1"]) == []  # the filers are not reminded after the deadline


def test_village_reminders_go_to_the_serving_cell_and_the_village_team(tree, django_capture_on_commit_callbacks):
    from accounts.tests.factories import make_user
    from rollout.models import Team, TeamMember

    helper = make_user(username="doan_vien")
    team = Team.objects.create(name="Tổ CNS thôn 1", unit=tree.commune_a, area=tree.village_a1)
    TeamMember.objects.create(team=team, user=helper, affiliation="youth_union")
    template = make_template(unit=tree.province)
    make_campaign(
        unit=tree.commune_a,
        template=template,
        target_tree=TargetTree.AREAS,
        target_kind=AreaKind.VILLAGE,
        deadline=today(),
    )

    run(today(), django_capture_on_commit_callbacks)

    assert titles(helper) == ["reports.reminder"]
    assert titles(tree.users["secretary_a1"]) == ["reports.reminder"]
    assert titles(tree.users["officer_a"]) == []


def test_the_command_runs_the_same_reminders(tree, campaign, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--day", today().isoformat())
    assert "3 reports reminded, 0 late digests" in capsys.readouterr().out
    assert titles(tree.users["secretary_a1"]) == ["reports.reminder"]
