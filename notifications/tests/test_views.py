"""The inbox pages: only one's own notifications, unread first, marked read, opened only to links on this site."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import Message, notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member(client, tree):
    client.force_login(tree.users["member_a1"])
    return client


def give(user, title, url="", read=False):
    notify(recipients=[user], message=Message(kind="test", title=title, url=url))
    notification = Notification.objects.filter(user=user, title=title).get()
    if read:
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.created_at)
    return notification


def test_the_inbox_shows_only_the_users_own_notifications_unread_first(member, tree):
    give(tree.users["member_a1"], "Đã đọc rồi", read=True)
    give(tree.users["member_a1"], "Chưa đọc")
    give(tree.users["secretary_a1"], "Của người khác")

    response = member.get(reverse("notifications:inbox"))

    titles = [notification.title for notification in response.context["page"]]
    assert titles == ["Chưa đọc", "Đã đọc rồi"]
    assert "Của người khác" not in response.content.decode()


def test_the_nav_link_shows_the_unread_count(member, tree):
    give(tree.users["member_a1"], "Một")
    give(tree.users["member_a1"], "Hai")

    html = member.get(reverse("notifications:inbox")).content.decode()

    assert 'class="badge" aria-hidden="true">2</span>' in html


def test_opening_marks_read_and_goes_to_the_local_link(member, tree):
    notification = give(tree.users["member_a1"], "Họp chi bộ", url="/meetings/4/")

    response = member.get(reverse("notifications:open") + f"?id={notification.pk}")

    assert response["Location"] == "/meetings/4/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_opening_never_redirects_off_the_site(member, tree, url):
    notification = give(tree.users["member_a1"], "Lừa đảo", url=url)

    response = member.get(reverse("notifications:open") + f"?id={notification.pk}")

    assert response["Location"] == reverse("notifications:inbox")


def test_another_users_notification_cannot_be_opened_or_marked(member, tree):
    theirs = give(tree.users["secretary_a1"], "Của bí thư", url="/x/")

    opened = member.get(reverse("notifications:open") + f"?id={theirs.pk}")
    member.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    member.post(reverse("notifications:mark_all_read"))

    assert opened.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_one_and_then_all_read(member, tree):
    first = give(tree.users["member_a1"], "Một")
    give(tree.users["member_a1"], "Hai")

    member.post(reverse("notifications:mark_read"), {"id": first.pk})
    after_one = Notification.objects.filter(user=tree.users["member_a1"], read_at__isnull=True).count()
    member.post(reverse("notifications:mark_all_read"))

    assert after_one == 1
    assert not Notification.objects.filter(user=tree.users["member_a1"], read_at__isnull=True).exists()


def test_the_inbox_is_paginated(member, tree):
    notify(
        recipients=[tree.users["member_a1"]],
        message=Message(kind="test", title="Lặp lại"),
    )
    for index in range(35):
        notify(recipients=[tree.users["member_a1"]], message=Message(kind="test", title=f"Thông báo {index}"))

    response = member.get(reverse("notifications:inbox"))

    assert len(response.context["page"]) == 30
    assert response.context["page"].paginator.num_pages == 2
