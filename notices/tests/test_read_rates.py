"""The read rate of a notice for the issuing unit and each child unit, checked against counts by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from members.tests.factories import make_member
from notices.selectors import notice_read_rates
from notices.services import notice_read_record
from notices.tests.factories import make_notice


def member_user(unit, username):
    return make_user(username=username, member=make_member(unit=unit), role=RoleKind.MEMBER, unit=unit)


@pytest.fixture
def commune_a_people(tree):
    """Commune A: officer_a and admin_a (on the commune), cell A1: secretary_a1, member_a1 and two more,
    cell A2: three members, grassroots committee G: one member in its cell."""
    people = {name: tree.users[name] for name in ("officer_a", "admin_a", "secretary_a1", "member_a1")}
    for index in range(2):
        people[f"a1_{index}"] = member_user(tree.cell_a1, f"a1_{index}")
    for index in range(3):
        people[f"a2_{index}"] = member_user(tree.cell_a2, f"a2_{index}")
    people["ag1_0"] = member_user(tree.cell_ag1, "ag1_0")
    return people


def rates_by_code(notice) -> dict:
    return {rate.unit.code: (rate.read, rate.recipients, rate.percent) for rate in notice_read_rates(notice)}


def test_the_read_rate_counts_recipients_who_read_per_child_unit(tree, commune_a_people, django_assert_max_num_queries):
    notice = make_notice(tree)
    for name in ("member_a1", "a1_0", "a2_0", "officer_a"):
        notice_read_record(user=commune_a_people[name], notice=notice)
    # The province's viewer opens it too: an overseer, not a recipient, so not counted.
    notice_read_record(user=tree.users["province_viewer"], notice=notice)

    with django_assert_max_num_queries(3):
        rates = rates_by_code(notice)

    # By hand: 10 recipients in all (2 on the commune itself + 4 in A1 + 3 in A2 + 1 in G), 4 read.
    assert rates["XA"] == (4, 10, Decimal("40.0"))
    assert rates["XA-C1"] == (2, 4, Decimal("50.0"))
    assert rates["XA-C2"] == (1, 3, Decimal("33.3"))
    assert rates["XA-G"] == (0, 1, 0)
    assert list(rates) == ["XA", "XA-C1", "XA-C2", "XA-G"]


def test_the_read_rate_of_a_notice_for_some_roles_counts_only_those_roles(tree, commune_a_people):
    notice = make_notice(tree, roles=[RoleKind.CELL_SECRETARY])
    notice_read_record(user=commune_a_people["member_a1"], notice=notice)  # not a recipient: ignored
    notice_read_record(user=commune_a_people["secretary_a1"], notice=notice)

    rates = rates_by_code(notice)

    assert rates["XA"] == (1, 1, 100)
    assert rates["XA-C1"] == (1, 1, 100)
    assert rates["XA-C2"] == (0, 0, None)


def recent_reads(notice) -> dict:
    from notices.selectors import notice_read_rates_recent

    return {rate.unit.code: rate.read for rate in notice_read_rates_recent(notice).rates}


def test_an_overseer_opening_the_notice_again_within_a_minute_is_shown_the_rates_counted_before(
    tree, commune_a_people, time_machine
):
    from notices.selectors import READ_RATES_KEPT_SECONDS, notice_read_rates_recent

    notice = make_notice(tree)
    notice_read_record(user=commune_a_people["member_a1"], notice=notice)
    first = recent_reads(notice)  # tasks run in the request here (the embedded set-up): counted before it returns
    notice_read_record(user=commune_a_people["a1_0"], notice=notice)

    # Opened again at once: not counted again
    with CaptureQueriesContext(connection) as queries:
        again = recent_reads(notice)
    assert (again, len(queries)) == (first, 0)
    assert first["XA-C1"] == 1
    assert timezone.now() - notice_read_rates_recent(notice).counted_at < datetime.timedelta(seconds=5)

    # A minute later: counted again
    time_machine.shift(datetime.timedelta(seconds=READ_RATES_KEPT_SECONDS + 1))
    assert recent_reads(notice)["XA-C1"] == 2


@pytest.fixture
def queued_counts(monkeypatch):
    """The counts asked for, held back as a worker busy elsewhere would (tasks queued, not run in the request)."""
    from notices import tasks

    queued = []
    monkeypatch.setattr(tasks.notice_read_rates_count_task, "delay", queued.append)
    return queued


def test_a_count_runs_in_the_background_and_the_page_shows_the_last_one_with_its_time(
    tree, commune_a_people, time_machine, queued_counts
):
    from notices.selectors import READ_RATES_KEPT_SECONDS, notice_read_rates_count, notice_read_rates_recent

    notice = make_notice(tree)
    notice_read_record(user=commune_a_people["member_a1"], notice=notice)

    # The first overseer asks: nothing counted yet, one count queued; the next one does not queue another
    with CaptureQueriesContext(connection) as queries:
        assert notice_read_rates_recent(notice) is None
    assert len(queries) == 0
    assert notice_read_rates_recent(notice) is None
    assert queued_counts == [notice.pk]

    # The worker counts
    counted_at = notice_read_rates_count(notice.pk).counted_at
    time_machine.shift(datetime.timedelta(seconds=30))
    notice_read_record(user=commune_a_people["a1_0"], notice=notice)
    shown = notice_read_rates_recent(notice)
    assert ({rate.unit.code: rate.read for rate in shown.rates}["XA-C1"], shown.counted_at) == (1, counted_at)
    assert queued_counts == [notice.pk]

    # Older than a minute: the last count is still shown, with its time, and one new count is queued
    time_machine.shift(datetime.timedelta(seconds=READ_RATES_KEPT_SECONDS))
    shown = notice_read_rates_recent(notice)
    assert ({rate.unit.code: rate.read for rate in shown.rates}["XA-C1"], shown.counted_at) == (1, counted_at)
    notice_read_rates_recent(notice)
    assert queued_counts == [notice.pk, notice.pk]
    notice_read_rates_count(notice.pk)
    assert recent_reads(notice)["XA-C1"] == 2


def test_a_count_whose_worker_died_is_asked_for_again_after_its_time(tree, time_machine, queued_counts):
    from notices.selectors import READ_RATES_COUNTING_SECONDS, notice_read_rates_recent

    notice = make_notice(tree)
    notice_read_rates_recent(notice)
    time_machine.shift(datetime.timedelta(seconds=READ_RATES_COUNTING_SECONDS - 1))
    notice_read_rates_recent(notice)
    assert queued_counts == [notice.pk]
    time_machine.shift(datetime.timedelta(seconds=2))
    notice_read_rates_recent(notice)
    assert queued_counts == [notice.pk, notice.pk]


def test_the_overseer_page_says_the_rate_is_being_counted_then_shows_it_with_its_time(
    tree, client, commune_a_people, queued_counts
):
    from notices.selectors import notice_read_rates_count

    notice = make_notice(tree)
    client.force_login(tree.users["officer_a"])
    url = reverse("notices:detail", args=[notice.pk])

    pending = client.get(url).content.decode()
    assert "being counted" in pending and "read-rates-total" not in pending

    notice_read_rates_count(notice.pk)
    shown = client.get(url).content.decode()
    assert "read-rates-total" in shown and "Counted at 06:30 02/12/2026" in shown


def test_the_api_answers_202_while_the_first_count_runs(tree, queued_counts):
    from common.tests.api import api_client
    from notices.selectors import notice_read_rates_count

    notice = make_notice(tree)
    officer = api_client(tree.users["officer_a"])
    pending = officer.get(f"/api/notices/{notice.pk}/read-rate")
    notice_read_rates_count(notice.pk)
    counted = officer.get(f"/api/notices/{notice.pk}/read-rate")

    assert (pending.status_code, counted.status_code) == (202, 200)
    assert counted.json()[0]["unit_code"] == "XA" and counted.json()[0]["counted_at"]


def test_whether_a_user_receives_a_notice_is_asked_from_the_units_above_them_not_the_subtree(tree, commune_a_people):
    from accounts.models import User
    from accounts.scoping import held_roles
    from members.selectors import own_member
    from notices.selectors import is_recipient, notice_recipients

    notices = [make_notice(tree), make_notice(tree, roles=[RoleKind.CELL_SECRETARY])]
    for notice in notices:
        recipients = set(notice_recipients(notice).values_list("pk", flat=True))
        for user in User.objects.all():
            assert is_recipient(user, notice) == (user.pk in recipients), (user.username, notice.pk)

    member = User.objects.get(username="member_a1")
    own_member(member), held_roles(member)  # what the request has read already
    with CaptureQueriesContext(connection) as queries:
        assert is_recipient(member, notices[0])
    [query] = queries.captured_queries
    assert "roleassignment" not in query["sql"].lower()
