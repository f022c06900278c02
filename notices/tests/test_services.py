"""Issuing notices: who may, who receives them, when they go out, and that they go out once."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from members.choices import LeavingForm, MemberStatus
from members.tests.factories import make_member
from notices.models import Notice, NoticeRead
from notices.selectors import notice_recipients, notices_received_by, notices_visible_to
from notices.services import notice_create, notice_fan_out, notice_read_record, notice_withdraw, notices_publish_due
from notices.tests.factories import inbox_owners, make_notice
from notifications.choices import DeliveryState
from notifications.models import Delivery, Notification, PushSubscription
from notifications.selectors import unread_count
from notifications.vapid import vapid_key_pair

pytestmark = pytest.mark.django_db(transaction=True)

EVERYONE_IN_A = {"officer_a", "admin_a", "secretary_a1", "member_a1"}


def test_a_notice_for_everyone_reaches_members_and_role_holders_of_the_subtree_once(tree):
    notice = make_notice(tree)

    assert inbox_owners(notice) == EVERYONE_IN_A
    # Nobody has push: nothing was written per recipient, the inboxes resolve the notice when they are read.
    assert not Notification.objects.exists()
    assert Notice.objects.get(pk=notice.pk).published_at is not None
    assert ChangeLog.objects.filter(object_id=notice.pk, object_repr=notice.title).exists()


def test_a_notice_only_for_cell_secretaries_reaches_only_them(tree):
    notice = make_notice(tree, roles=[RoleKind.CELL_SECRETARY])

    assert inbox_owners(notice) == {"secretary_a1"}
    assert not notices_received_by(tree.users["member_a1"]).filter(pk=notice.pk).exists()
    assert notices_received_by(tree.users["secretary_a1"]).filter(pk=notice.pk).exists()


def test_members_who_left_and_inactive_users_receive_nothing(tree):
    left = make_member(
        unit=tree.cell_a2,
        status=MemberStatus.LEFT,
        left_on=datetime.date(2024, 1, 5),
        leaving_form=LeavingForm.RESIGNED,
    )
    make_user(username="left_a2", member=left)
    inactive = make_user(username="inactive_a2", member=make_member(unit=tree.cell_a2))
    inactive.is_active = False
    inactive.save()

    notice = make_notice(tree)

    assert inbox_owners(notice) == EVERYONE_IN_A
    assert not notices_received_by(inactive).exists()


def test_the_list_of_received_notices_agrees_with_the_recipients(tree):
    make_user(username="member_ag1", member=make_member(unit=tree.cell_ag1))
    make_user(role=RoleKind.CELL_SECRETARY, unit=tree.cell_b1, username="secretary_b1")
    notices = [make_notice(tree), make_notice(tree, roles=[RoleKind.COMMITTEE_OFFICER, RoleKind.CELL_SECRETARY])]
    notices.append(make_notice(tree, unit=tree.cell_a1, actor=tree.users["secretary_a1"]))
    notices.append(
        make_notice(tree, unit=tree.province, actor=make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province))
    )

    from accounts.models import User

    for user in User.objects.all():
        received = set(notices_received_by(user).values_list("pk", flat=True))
        expected = {notice.pk for notice in notices if notice_recipients(notice).filter(pk=user.pk).exists()}
        assert received == expected, user.username


def test_a_sibling_commune_can_neither_issue_nor_see_a_notice(tree):
    notice = make_notice(tree)

    with pytest.raises(PermissionDenied):
        notice_create(actor=tree.users["officer_b"], unit=tree.commune_a, title="x", body="y")
    with pytest.raises(PermissionDenied):
        notice_withdraw(actor=tree.users["officer_b"], notice=notice)
    assert not notices_visible_to(tree.users["officer_b"]).filter(pk=notice.pk).exists()


def test_the_province_oversees_commune_a_notices_without_being_a_recipient(tree):
    notice = make_notice(tree)

    viewer = tree.users["province_viewer"]
    assert notices_visible_to(viewer).filter(pk=notice.pk).exists()
    assert not notice_read_record(user=viewer, notice=notice)
    assert not NoticeRead.objects.exists()


def test_a_plain_member_cannot_issue_a_notice(tree):
    with pytest.raises(PermissionDenied):
        notice_create(actor=tree.users["member_a1"], unit=tree.cell_a1, title="x", body="y")


def test_unknown_roles_are_refused(tree):
    with pytest.raises(ValidationError) as error:
        notice_create(actor=tree.users["officer_a"], unit=tree.commune_a, title="x", body="y", roles=["king"])

    assert "roles" in error.value.message_dict
    assert not Notice.objects.exists()


def test_a_scheduled_notice_is_neither_visible_nor_sent_before_its_time(tree):
    notice = make_notice(tree, in_minutes=60)

    assert inbox_owners(notice) == set()
    assert not notices_received_by(tree.users["member_a1"]).exists()
    assert notices_publish_due() == 0
    # Those who oversee the unit see it already, marked as scheduled.
    assert notices_visible_to(tree.users["officer_a"]).filter(pk=notice.pk).exists()


def test_a_scheduled_notice_is_sent_once_however_often_the_publisher_runs(tree):
    notice = make_notice(tree, in_minutes=60)
    later = timezone.now() + datetime.timedelta(minutes=61)

    assert notices_publish_due(now=later) == 1
    assert notices_publish_due(now=later) == 0
    call_command("publish_due_notices", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert inbox_owners(notice, now=later) == EVERYONE_IN_A
    assert notices_received_by(tree.users["member_a1"], now=later).filter(pk=notice.pk).exists()


def test_the_fan_out_writes_rows_only_for_recipients_with_push_and_run_again_writes_nothing_twice(tree, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    for username in ("member_a1", "officer_b"):
        PushSubscription.objects.create(
            user=tree.users[username], endpoint=f"https://push.example.com/{username}", p256dh="K", auth="A"
        )
    with mock.patch("pywebpush.webpush"):
        notice = make_notice(tree)

        assert notice_fan_out(notice_id=notice.pk)
        assert notice_fan_out(notice_id=notice.pk)

    # Only the recipient with a browser subscribed has a row (with its push delivery); officer_b is outside A.
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["member_a1"]
    assert list(Delivery.objects.values_list("channel", "state")) == [("push", DeliveryState.SENT)]
    assert inbox_owners(notice) == EVERYONE_IN_A


def test_a_notice_withdrawn_before_its_time_is_never_sent(tree):
    notice = make_notice(tree, in_minutes=60)

    notice_withdraw(actor=tree.users["officer_a"], notice=notice, reason="Nhầm ngày")
    published = notices_publish_due(now=timezone.now() + datetime.timedelta(hours=2))

    assert published == 0
    assert inbox_owners(notice) == set()


def test_a_withdrawn_notice_disappears_for_recipients_but_not_for_the_issuer(tree):
    notice = make_notice(tree)

    notice_withdraw(actor=tree.users["officer_a"], notice=notice)

    assert not notices_received_by(tree.users["member_a1"]).exists()
    assert notices_visible_to(tree.users["officer_a"]).filter(pk=notice.pk).exists()


def test_reading_records_one_receipt_and_marks_the_inbox_entry_read(tree):
    notice = make_notice(tree)
    member = tree.users["member_a1"]

    assert notice_read_record(user=member, notice=notice)
    assert notice_read_record(user=member, notice=notice)

    assert NoticeRead.objects.filter(notice=notice, user=member).count() == 1
    # The member's inbox row is written when they read it, read; the others' inboxes still hold it unread.
    assert Notification.objects.get(user=member, dedupe_key=f"notice:{notice.pk}").read_at is not None
    assert not Notification.objects.filter(user=tree.users["secretary_a1"]).exists()
    assert unread_count(user=tree.users["secretary_a1"]) == 1
    assert unread_count(user=member) == 0
