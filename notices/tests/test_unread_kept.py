"""The unread count kept in the shared cache (notifications.selectors.unread_count_kept): a read where nothing changed
costs no query, and every change that can alter the count (the user's rows, the notices above them, their record,
their roles, the clock) makes the next read exact. Each read is made as a new request makes it (the user read again)
and compared with the count made afresh."""

import datetime

import pytest
from django.conf import settings

from accounts.choices import RoleKind
from accounts.models import User
from accounts.scoping import held_roles
from accounts.services import role_grant
from accounts.tests.factories import make_user
from common.tests.api import api_client
from members.selectors import own_member
from members.services import member_update
from members.tests.factories import make_member
from notices.services import notice_withdraw
from notices.tests.factories import make_notice
from notifications.models import Notification
from notifications.selectors import unread_count, unread_count_kept
from notifications.services import Message, inbox_catch_up, notification_open, notifications_mark_read, notify

pytestmark = pytest.mark.django_db(transaction=True)


def request_user(user) -> User:
    """The user as a new request has them: nothing read yet, their record and roles read as the menu reads them."""
    user = User.objects.get(pk=user.pk)
    own_member(user), held_roles(user)
    return user


def kept_and_fresh(user) -> tuple[int, int]:
    return unread_count_kept(user=request_user(user)), unread_count(user=request_user(user))


def assert_kept(user, django_assert_num_queries) -> None:
    """A read where nothing changed costs no query."""
    user = request_user(user)
    with django_assert_num_queries(0):
        unread_count_kept(user=user)


def test_the_count_is_kept_and_exact_after_every_change_of_the_members_own_rows(tree, django_assert_num_queries):
    member = tree.users["member_a1"]
    assert kept_and_fresh(member) == (0, 0)
    assert_kept(member, django_assert_num_queries)

    notify(recipients=[member], message=Message(kind="reminder", title="Một"))
    notify(recipients=[member], message=Message(kind="reminder", title="Hai"))
    assert kept_and_fresh(member) == (2, 2)
    assert_kept(member, django_assert_num_queries)

    first = Notification.objects.filter(user=member).order_by("pk").first()
    notification_open(user=request_user(member), notification_id=first.pk)
    assert kept_and_fresh(member) == (1, 1)

    notifications_mark_read(user=request_user(member))
    assert kept_and_fresh(member) == (0, 0)


def test_a_notice_above_the_member_counts_at_once_and_one_elsewhere_leaves_the_count_kept(
    tree, django_assert_num_queries
):
    member = tree.users["member_a1"]
    assert kept_and_fresh(member) == (0, 0)

    make_notice(tree)  # commune A, above the member's cell
    assert kept_and_fresh(member) == (1, 1)

    make_notice(tree, unit=tree.commune_b, actor=tree.users["officer_b"])
    assert_kept(member, django_assert_num_queries)
    assert kept_and_fresh(member) == (1, 1)

    # The inbox opened: the notice is a row now, the count the same.
    inbox_catch_up(user=request_user(member))
    assert kept_and_fresh(member) == (1, 1)


def test_a_scheduled_notice_counts_once_it_is_out_with_no_write(tree, time_machine, django_assert_num_queries):
    member = tree.users["member_a1"]
    make_notice(tree, in_minutes=3)
    assert kept_and_fresh(member) == (0, 0)
    assert_kept(member, django_assert_num_queries)

    # No publisher has run: the notice is out by its time, and the kept count lapses then (well before it would
    # expire: HOME_CACHE_SECONDS).
    time_machine.shift(datetime.timedelta(minutes=4))
    assert kept_and_fresh(member) == (1, 1)


def test_a_notice_leaving_the_catch_up_window_leaves_the_count(tree, time_machine, django_assert_num_queries):
    member = tree.users["member_a1"]
    time_machine.shift(datetime.timedelta(hours=1))  # the notice comes out after the member's account was made
    make_notice(tree)
    time_machine.shift(datetime.timedelta(days=settings.NOTICE_INBOX_CATCH_UP_DAYS, minutes=-2))
    assert kept_and_fresh(member) == (1, 1)
    assert_kept(member, django_assert_num_queries)

    # Within HOME_CACHE_SECONDS: the kept count lapses when the notice leaves the window, not when it expires.
    assert settings.HOME_CACHE_SECONDS > 3 * 60
    time_machine.shift(datetime.timedelta(minutes=3))
    assert kept_and_fresh(member) == (0, 0)


def test_a_withdrawn_notice_leaves_the_count_pending_or_as_a_row(tree):
    member = tree.users["member_a1"]
    pending = make_notice(tree, title="Chưa mở hộp thư")
    assert kept_and_fresh(member) == (1, 1)

    notice_withdraw(actor=tree.users["officer_a"], notice=pending)
    assert kept_and_fresh(member) == (0, 0)

    as_row = make_notice(tree, title="Đã có dòng trong hộp thư")
    inbox_catch_up(user=request_user(member))
    assert kept_and_fresh(member) == (1, 1)

    notice_withdraw(actor=tree.users["officer_a"], notice=as_row)
    assert kept_and_fresh(member) == (0, 0)


def test_a_notice_withdrawn_after_the_member_moved_away_from_its_unit_leaves_the_count(tree, django_assert_num_queries):
    # A member of cell A1 with an unread row of a notice of cell A1, who then moves to cell A2: the row still counts,
    # though cell A1 is no longer above them.
    mover = make_user(username="mover", member=make_member(unit=tree.cell_a1))
    notice = make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"])
    inbox_catch_up(user=request_user(mover))
    member_update(actor=tree.users["officer_a"], member=request_user(mover).member, data={"unit": tree.cell_a2})
    assert kept_and_fresh(mover) == (1, 1)
    assert_kept(mover, django_assert_num_queries)

    notice_withdraw(actor=tree.users["secretary_a1"], notice=notice)
    assert kept_and_fresh(mover) == (0, 0)


def test_a_role_on_another_unit_brings_its_notices_into_the_count(tree):
    member = tree.users["member_a1"]
    make_notice(tree, unit=tree.cell_a2, title="Thông báo của chi bộ thôn 2")
    assert kept_and_fresh(member) == (0, 0)

    role_grant(actor=tree.users["admin_a"], user=request_user(member), unit=tree.cell_a2, role=RoleKind.CELL_SECRETARY)
    assert kept_and_fresh(member) == (1, 1)


def test_a_member_moved_to_another_cell_counts_its_notices(tree):
    mover = make_user(username="mover", member=make_member(unit=tree.cell_a1))
    make_notice(tree, unit=tree.cell_a2, title="Thông báo của chi bộ thôn 2")
    assert kept_and_fresh(mover) == (0, 0)

    member_update(actor=tree.users["officer_a"], member=request_user(mover).member, data={"unit": tree.cell_a2})
    assert kept_and_fresh(mover) == (1, 1)


def test_nothing_is_kept_when_keeping_is_off(tree, settings, django_assert_num_queries):
    settings.HOME_CACHE_SECONDS = 0
    member = tree.users["member_a1"]
    make_notice(tree)
    assert kept_and_fresh(member) == (1, 1)
    user = request_user(member)
    with django_assert_num_queries(4):
        assert unread_count_kept(user=user) == 1


def test_the_api_gives_the_exact_count_kept(tree, django_assert_num_queries):
    member = tree.users["member_a1"]
    client = api_client(member)
    url = "/api/notifications/unread-count"
    for _index in range(3):
        make_notice(tree)
    notify(recipients=[member], message=Message(kind="reminder", title="Nhắc"))
    assert client.get(url).json() == {"unread": 4}

    make_notice(tree)
    assert client.get(url).json() == {"unread": 5} == {"unread": unread_count(user=request_user(member))}
