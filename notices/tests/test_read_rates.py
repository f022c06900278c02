"""The read rate of a notice for the issuing unit and each child unit, checked against counts by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_an_overseer_opening_the_notice_again_within_a_minute_is_shown_the_rates_counted_before(
    tree, commune_a_people, time_machine
):
    from notices.selectors import READ_RATES_KEPT_SECONDS, notice_read_rates_recent

    notice = make_notice(tree)
    notice_read_record(user=commune_a_people["member_a1"], notice=notice)
    first = {rate.unit.code: rate.read for rate in notice_read_rates_recent(notice)}
    notice_read_record(user=commune_a_people["a1_0"], notice=notice)

    # Opened again at once: not counted again
    with CaptureQueriesContext(connection) as queries:
        again = {rate.unit.code: rate.read for rate in notice_read_rates_recent(notice)}
    assert (again, len(queries)) == (first, 0)
    assert first["XA-C1"] == 1

    # A minute later: counted again
    time_machine.shift(datetime.timedelta(seconds=READ_RATES_KEPT_SECONDS + 1))
    assert {rate.unit.code: rate.read for rate in notice_read_rates_recent(notice)}["XA-C1"] == 2


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
