"""Notices in the inboxes on read (fan-out on read): in every inbox of the subtree the moment they are out and in
no other, each member's own row written when they open the inbox or the notice, the audience resolved when it is
read (members who move in receive it, those who move out no longer do), exact read rates, and a constant number of
queries however many notices are above the member."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.models import User
from accounts.tests.factories import make_user
from common.freshness import DOCUMENTS, NOTICES, STUDY, tokens, unit_token, user_token
from common.tests.api import api_client
from members.services import member_update
from members.tests.factories import make_member
from notices.models import NoticeRead
from notices.selectors import notice_list, notice_read_rates
from notices.services import notice_read_record
from notices.tests.factories import inbox_owners, make_notice
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import inbox_catch_up, notifications_mark_read

pytestmark = pytest.mark.django_db(transaction=True)

EVERYONE_IN_A = {"officer_a", "admin_a", "secretary_a1", "member_a1"}


def member_user(unit, username):
    return make_user(username=username, member=make_member(unit=unit), role=RoleKind.MEMBER, unit=unit)


def test_a_notice_is_in_every_inbox_of_the_subtree_at_once_and_in_no_other(tree):
    # Given members in every cell of both communes, with accounts
    member_user(tree.cell_a2, "member_a2")
    member_user(tree.cell_ag1, "member_ag1")
    member_user(tree.cell_b1, "member_b1")

    # When commune A issues a notice
    notice = make_notice(tree)

    # Then it is unread in the inbox of everyone in A (cells, the grassroots committee's cell, the commune's staff)
    # and of nobody else: not commune B, not the province that oversees A, not an account without a role
    inside = EVERYONE_IN_A | {"member_a2", "member_ag1"}
    assert inbox_owners(notice) == inside
    for user in User.objects.all():
        assert unread_count(user=user) == (1 if user.username in inside else 0), user.username
    # ... without a row written for anyone
    assert not Notification.objects.exists()


def test_the_inbox_page_shows_the_notice_and_writes_the_members_row_once(client, tree):
    notice = make_notice(tree)
    client.force_login(tree.users["member_a1"])

    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox"))

    assert [item.title for item in first.context["page"]] == [notice.title]
    assert [item.url for item in second.context["page"]] == [f"/notices/{notice.pk}/"]
    assert Notification.objects.filter(user=tree.users["member_a1"], dedupe_key=notice.notification_key).count() == 1
    assert Notification.objects.count() == 1  # the others' rows wait for their own visit


def test_the_api_lists_and_counts_the_notice_as_unread(tree):
    notice = make_notice(tree)
    member = api_client(tree.users["member_a1"])

    assert member.get("/api/notifications/unread-count").json() == {"unread": 1}
    body = member.get("/api/notifications").json()

    assert (body["count"], body["unread"]) == (1, 1)
    assert body["items"][0]["url"] == f"/notices/{notice.pk}/"
    assert api_client(tree.users["officer_b"]).get("/api/notifications").json()["count"] == 0


def test_opening_the_notice_marks_it_read_in_the_inbox_and_counts_one_reader(tree):
    notice = make_notice(tree)
    member = tree.users["member_a1"]

    notice_read_record(user=member, notice=notice)

    assert unread_count(user=member) == 0
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert unread_count(user=tree.users["secretary_a1"]) == 1


def test_marking_all_read_empties_the_badge_but_is_not_a_reading(tree):
    notice = make_notice(tree)
    member = tree.users["member_a1"]

    assert notifications_mark_read(user=member) == 1

    assert unread_count(user=member) == 0
    # The read rate counts those who opened the notice.
    assert not NoticeRead.objects.exists()
    assert Notification.objects.get(user=member, dedupe_key=notice.notification_key).read_at is not None


def test_a_member_who_moves_into_the_subtree_after_publishing_receives_the_notice_and_one_who_moves_out_not(tree):
    # Given a notice of cell A1, and a member of cell A2 (not a recipient)
    mover = member_user(tree.cell_a2, "mover")
    notice = make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"])
    assert "mover" not in inbox_owners(notice)

    # When the member moves to cell A1 after the notice came out
    member_update(actor=tree.users["officer_a"], member=mover.member, data={"unit": tree.cell_a1}, reason="Chuyển")

    # Then they receive it (the audience is whoever is in the subtree now), and the read rate counts them
    assert "mover" in inbox_owners(notice)
    notice_read_record(user=User.objects.get(username="mover"), notice=notice)
    rates = {rate.unit.code: (rate.read, rate.recipients) for rate in notice_read_rates(notice)}
    assert rates["XA-C1"] == (1, 3)  # secretary_a1, member_a1, mover; mover read it

    # When they move back out, the notice (read) stays in their inbox as history, and it leaves A1's read rate
    member_update(
        actor=tree.users["officer_a"], member=User.objects.get(username="mover").member, data={"unit": tree.cell_a2}
    )
    assert Notification.objects.filter(user__username="mover", dedupe_key=notice.notification_key).exists()
    rates = {rate.unit.code: (rate.read, rate.recipients) for rate in notice_read_rates(notice)}
    assert rates["XA-C1"] == (0, 2)


def test_an_account_made_after_the_notice_came_out_finds_it_in_the_list_not_new_in_the_inbox(tree, time_machine):
    notice = make_notice(tree)
    time_machine.shift(datetime.timedelta(days=1))

    newcomer = member_user(tree.cell_a1, "newcomer")

    assert unread_count(user=newcomer) == 0
    assert notice in list(notice_list(actor=newcomer))


def test_a_withdrawn_notice_leaves_the_inboxes_that_never_opened_it(tree):
    notice = make_notice(tree)
    member = tree.users["member_a1"]
    inbox_catch_up(user=member)

    from notices.services import notice_withdraw

    notice_withdraw(actor=tree.users["officer_a"], notice=notice)

    assert unread_count(user=tree.users["secretary_a1"]) == 0
    # The member's row stays: its link says the notice was withdrawn (notices.views); it is no longer unread, and
    # once the inbox is opened again it is marked read and its text is gone
    assert Notification.objects.filter(user=member).count() == 1
    assert unread_count(user=member) == 0
    inbox_catch_up(user=member)
    row = Notification.objects.get(user=member)
    assert (row.read_at is not None, row.body) == (True, "")


def test_publishing_renews_the_issuing_units_notices_token_only(tree):
    member = tree.users["member_a1"]
    path = tree.commune_a.path
    names = [user_token(member.pk), unit_token(path), unit_token(path, DOCUMENTS), unit_token(path, STUDY)]
    before = tokens([*names, unit_token(path, NOTICES)])

    make_notice(tree)

    after = tokens([*names, unit_token(path, NOTICES)])
    assert {name: after[name] for name in names} == {name: before[name] for name in names}
    assert after[unit_token(path, NOTICES)] != before[unit_token(path, NOTICES)]


def broad_notices(tree, count: int) -> None:
    """`count` notices from each level above member_a1: the province, commune A and cell A1."""
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username=f"officer_hn_{count}")
    for index in range(count):
        make_notice(tree, unit=tree.province, actor=province_officer, title=f"Tỉnh {count}.{index}")
        make_notice(tree, title=f"Xã {count}.{index}")
        make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"], title=f"Chi bộ {count}.{index}")


def queries_of(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["notifications:inbox", "handbook:home", "notices:list"])
def test_the_pages_queries_do_not_grow_with_the_notices_above_the_member(client, tree, page, settings):
    settings.HOME_CACHE_SECONDS = 0  # the home built each time, not served kept
    client.force_login(tree.users["member_a1"])
    broad_notices(tree, 1)
    client.get(reverse(page))  # the roles, kept between requests, are read once
    Notification.objects.all().delete()  # so that the inbox writes the rows again, as on a first visit
    few = queries_of(client, page)

    broad_notices(tree, 5)
    Notification.objects.all().delete()
    many = queries_of(client, page)

    assert many == few
    assert unread_count(user=tree.users["member_a1"]) == 18


def test_rows_the_inbox_writes_before_or_during_a_push_batch_still_get_exactly_one_push_each(
    tree, monkeypatch, settings
):
    # Given a notice out, and three recipients with a browser subscribed to push
    from notices.services import notice_message
    from notifications.choices import DeliveryState
    from notifications.models import Delivery, PushSubscription
    from notifications.services import notify_batch
    from notifications.vapid import vapid_key_pair

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    notice = make_notice(tree)
    subscribers = [tree.users[name] for name in ("member_a1", "secretary_a1", "officer_a")]
    for user in subscribers:
        PushSubscription.objects.create(
            user=user, endpoint=f"https://push.example.com/{user.username}", p256dh="BKEY", auth="AUTH"
        )
    # ... one of whom opened the inbox before their push batch runs, and another while it runs
    inbox_catch_up(user=tree.users["member_a1"])
    write_rows = Notification.objects.bulk_create

    def inbox_opened_meanwhile(rows, **options):
        monkeypatch.setattr(Notification.objects, "bulk_create", write_rows)
        inbox_catch_up(user=tree.users["secretary_a1"])
        return write_rows(rows, **options)

    monkeypatch.setattr(Notification.objects, "bulk_create", inbox_opened_meanwhile)

    # When the batch runs, and runs again (a retry)
    first = notify_batch(user_ids=[user.pk for user in subscribers], message=notice_message(notice))
    again = notify_batch(user_ids=[user.pk for user in subscribers], message=notice_message(notice))

    # Then every subscriber has one row and one pending push, nobody two
    pending = Delivery.objects.filter(channel="push", state=DeliveryState.PENDING)
    assert sorted(pending.values_list("notification__user__username", flat=True)) == sorted(
        user.username for user in subscribers
    )
    assert sorted(first) == sorted(again) == sorted(pending.values_list("pk", flat=True))
    assert Notification.objects.filter(dedupe_key=notice.notification_key, user__in=subscribers).count() == 3


def test_a_notice_the_member_has_read_is_not_new_in_the_inbox_even_without_its_row(tree):
    notice = make_notice(tree)
    member = tree.users["member_a1"]
    # A reading kept while the member's inbox row is not there (e.g. recorded before the inbox rows were written)
    NoticeRead.objects.create(notice=notice, user=member)

    assert unread_count(user=member) == 0
    assert "member_a1" not in inbox_owners(notice)
    assert unread_count(user=tree.users["secretary_a1"]) == 1


def test_only_notices_of_the_last_days_are_new_in_the_inbox_of_a_member_who_moves_in(tree, time_machine, settings):
    # Given two notices of cell A1, one out 40 days ago and one 10 days ago, and a member of cell A2
    settings.NOTICE_INBOX_CATCH_UP_DAYS = 30
    mover = member_user(tree.cell_a2, "mover")
    old = make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"], title="Thông báo cũ")
    time_machine.shift(datetime.timedelta(days=30))
    recent = make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"], title="Thông báo mới")
    time_machine.shift(datetime.timedelta(days=10))

    # When the member moves to cell A1
    member_update(actor=tree.users["officer_a"], member=mover.member, data={"unit": tree.cell_a1}, reason="Chuyển")

    # Then only the recent notice is new in their inbox; both are in their notices list
    mover = User.objects.get(username="mover")
    assert unread_count(user=mover) == 1
    assert "mover" in inbox_owners(recent) and "mover" not in inbox_owners(old)
    assert {old, recent} <= set(notice_list(actor=mover))
    # ... and the unread members of the cell no longer count the old one either
    assert unread_count(user=User.objects.get(username="member_a1")) == 1
