"""The inbox and Web Push subscriptions over the API: each user reaches only their own."""

import pytest
from django.test import override_settings

from common.tests.api import api_client
from notifications.models import Notification, PushSubscription
from notifications.services import Message, notify

pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


def post(user, url, body):
    return api_client(user).post(url, data=body, content_type="application/json")


def test_a_user_lists_counts_and_marks_their_own_notifications(tree):
    mine, theirs = tree.users["member_a1"], tree.users["secretary_a1"]
    notify(recipients=[mine, theirs], message=Message(kind="notice", title="Thông báo", url="/notices/1/"))
    notify(recipients=[mine], message=Message(kind="notice", title="Thông báo 2"))
    other_id = Notification.objects.get(user=theirs).pk

    listed = api_client(mine).get("/api/notifications").json()
    count = api_client(mine).get("/api/notifications/unread-count").json()
    marked_other = post(mine, "/api/notifications/read", {"ids": [other_id]}).json()
    marked_all = post(mine, "/api/notifications/read", {}).json()

    assert (listed["count"], listed["unread"], {item["title"] for item in listed["items"]}) == (
        2,
        2,
        {"Thông báo", "Thông báo 2"},
    )
    assert count == {"unread": 2}
    assert marked_other == {"marked": 0, "unread": 2}
    assert marked_all == {"marked": 2, "unread": 0}
    assert Notification.objects.get(user=theirs).read_at is None


@override_settings(VAPID_PUBLIC_KEY="BPUBLIC", VAPID_PRIVATE_KEY="private")
def test_the_public_key_is_given_when_push_is_on(tree):
    assert api_client(tree.users["member_a1"]).get("/api/notifications/push/key").json() == {
        "enabled": True,
        "public_key": "BPUBLIC",
    }


@override_settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY="")
def test_push_is_off_without_keys(tree):
    assert api_client(tree.users["member_a1"]).get("/api/notifications/push/key").json() == {
        "enabled": False,
        "public_key": "",
    }


def test_a_browser_subscribes_and_moves_to_whoever_subscribes_it_next(tree):
    first = post(tree.users["member_a1"], "/api/notifications/push/subscriptions", SUBSCRIPTION)
    again = post(tree.users["secretary_a1"], "/api/notifications/push/subscriptions", SUBSCRIPTION)

    assert (first.status_code, again.status_code) == (201, 201)
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.auth) == (tree.users["secretary_a1"], "tBHItJI5svbpez7KI4CCXg")


@pytest.mark.parametrize(
    "endpoint",
    ["http://push.example.com/x", "https://127.0.0.1/x", "https://localhost/x", "https://[::1]/x", "ftp://a.b"],
)
def test_an_endpoint_that_is_not_a_public_https_address_is_refused(tree, endpoint):
    response = post(
        tree.users["member_a1"], "/api/notifications/push/subscriptions", {**SUBSCRIPTION, "endpoint": endpoint}
    )

    assert response.status_code == 422
    assert "endpoint" in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def test_a_user_unsubscribes_only_their_own_browser(tree):
    post(tree.users["member_a1"], "/api/notifications/push/subscriptions", SUBSCRIPTION)

    by_other = post(
        tree.users["secretary_a1"], "/api/notifications/push/unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]}
    )
    by_owner = post(
        tree.users["member_a1"], "/api/notifications/push/unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]}
    )

    assert (by_other.json(), by_owner.json()) == ({"removed": 0}, {"removed": 1})
    assert not PushSubscription.objects.exists()
