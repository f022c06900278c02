import pytest
from django.core import mail

from accounts.scoping import held_roles
from accounts.tests.factories import make_user
from members.selectors import own_member
from notifications.choices import DeliveryState
from notifications.models import Delivery, Notification
from notifications.selectors import (
    forget_unread_badge_count,
    notifications_for,
    unread_badge_count,
    unread_count,
)
from notifications.services import Message, notification_open, notifications_mark_read, notify, notify_batch

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notice_reaches_every_recipients_inbox_once_the_transaction_commits(tree):
    users = [tree.users["member_a1"], tree.users["secretary_a1"]]

    notify(recipients=users, message=Message(kind="notice", title="Họp chi bộ tháng 12", url="/meetings/1/"))

    for user in users:
        [notification] = notifications_for(user=user)
        assert (notification.title, notification.url, notification.read_at) == (
            "Họp chi bộ tháng 12",
            "/meetings/1/",
            None,
        )
    assert Notification.objects.count() == 2


def test_a_keyed_reminder_is_written_once_however_often_it_is_sent(tree):
    user = tree.users["member_a1"]
    reminder = Message(kind="reminder", title="Nhắc nộp báo cáo", dedupe_key="report:7:reminder:1")

    notify(recipients=[user], message=reminder)
    notify(recipients=[user], message=reminder)
    notify_batch(user_ids=[user.pk], message=reminder)

    assert Notification.objects.filter(user=user).count() == 1


def test_the_fan_out_is_split_into_batches_and_gives_the_same_result(tree, monkeypatch):
    monkeypatch.setattr("notifications.services.BATCH_SIZE", 2)
    users = list(tree.users.values())

    notify(recipients=[user.pk for user in users], message=Message(kind="notice", title="Thông báo"))

    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(user.pk for user in users)


def test_email_goes_only_to_users_with_an_address_and_is_recorded(tree):
    with_address = tree.users["member_a1"]
    with_address.email = "an@example.vn"
    with_address.save()
    without_address = make_user(username="no_email")

    notify(
        recipients=[with_address, without_address],
        message=Message(kind="notice", title="Thông báo mới", body="Nội dung", url="/notices/1/", channels=("email",)),
    )

    [email] = mail.outbox
    assert email.to == ["an@example.vn"]
    assert email.subject == "Thông báo mới"
    assert "http://127.0.0.1:8000/notices/1/" in email.body
    [delivery] = Delivery.objects.all()
    assert (delivery.notification.user, delivery.state, delivery.attempts) == (with_address, DeliveryState.SENT, 1)


def test_a_failing_channel_is_recorded_and_does_not_stop_the_inbox(tree, monkeypatch):
    user = tree.users["member_a1"]
    user.email = "an@example.vn"
    user.save()

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("notifications.channels.send_mail", broken)
    notify(recipients=[user], message=Message(kind="notice", title="Thông báo", channels=("email",)))

    assert unread_count(user=user) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.error) == (DeliveryState.FAILED, "SMTP down")


def test_a_user_marks_only_their_own_notifications_read(tree):
    mine, theirs = tree.users["member_a1"], tree.users["secretary_a1"]
    notify(recipients=[mine, theirs], message=Message(kind="notice", title="Thông báo"))
    other_id = Notification.objects.get(user=theirs).pk

    assert notifications_mark_read(user=mine, ids=[other_id]) == 0
    assert notifications_mark_read(user=mine) == 1
    assert (unread_count(user=mine), unread_count(user=theirs)) == (0, 1)


def test_the_badge_is_counted_once_per_request_and_again_after_marking_read(tree, django_assert_num_queries):
    user = tree.users["member_a1"]
    notify(recipients=[user], message=Message(kind="notice", title="Một"))
    notify(recipients=[user], message=Message(kind="notice", title="Hai"))
    first = Notification.objects.filter(user=user).order_by("pk").first()
    # Every request has read the user's record and roles by then (the menu): the badge shares them.
    own_member(user), held_roles(user)

    # Counted (then kept): the count, and what it lapses with (the next notice out above, the oldest pending one;
    # the units of the unread rows of notices).
    with django_assert_num_queries(4):
        assert (unread_badge_count(user=user), unread_badge_count(user=user)) == (2, 2)
    forget_unread_badge_count(user)  # the next request
    with django_assert_num_queries(0):
        assert unread_badge_count(user=user) == 2

    notification_open(user=user, notification_id=first.pk)
    assert unread_badge_count(user=user) == 1
    notifications_mark_read(user=user)
    assert unread_badge_count(user=user) == 0
