"""The Web Push channel, with pywebpush's network call replaced: payload, VAPID, and dropped subscriptions."""

import json
from unittest import mock

import pytest
from django.test import override_settings
from pywebpush import WebPushException

from notifications.choices import DeliveryState
from notifications.models import Delivery, PushSubscription
from notifications.services import Message, notify
from notifications.vapid import vapid_key_pair

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC, PRIVATE = vapid_key_pair()
PUSH_ON = override_settings(VAPID_PUBLIC_KEY=PUBLIC, VAPID_PRIVATE_KEY=PRIVATE, VAPID_SUBJECT="mailto:ops@example.vn")
MESSAGE = Message(kind="notice", title="Thông báo mới", body="Nội dung", url="/notices/7/", channels=("push",))


def subscribe(user, name="a"):
    return PushSubscription.objects.create(
        user=user, endpoint=f"https://push.example.com/{name}", p256dh="BKEY", auth="AUTH"
    )


def answer(status):
    return WebPushException("push service said no", response=mock.Mock(status_code=status, text="no"))


@PUSH_ON
def test_a_push_carries_title_body_and_url_as_json_signed_with_our_vapid_key(tree):
    user = tree.users["member_a1"]
    subscription = subscribe(user)

    with mock.patch("pywebpush.webpush") as webpush:
        notify(recipients=[user], message=MESSAGE)

    [call] = webpush.call_args_list
    assert json.loads(call.kwargs["data"]) == {"title": "Thông báo mới", "body": "Nội dung", "url": "/notices/7/"}
    assert call.kwargs["subscription_info"] == {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": "BKEY", "auth": "AUTH"},
    }
    assert (call.kwargs["vapid_private_key"], call.kwargs["vapid_claims"]) == (
        PRIVATE,
        {"sub": "mailto:ops@example.vn"},
    )
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.state) == ("push", DeliveryState.SENT)
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


@PUSH_ON
@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_dropped_is_deleted(tree, status):
    user = tree.users["member_a1"]
    subscribe(user)

    with mock.patch("pywebpush.webpush", side_effect=answer(status)):
        notify(recipients=[user], message=MESSAGE)

    assert not PushSubscription.objects.exists()
    assert Delivery.objects.get().state == DeliveryState.FAILED


@PUSH_ON
def test_another_failure_is_recorded_on_the_delivery_and_counted_on_the_subscription(tree):
    user = tree.users["member_a1"]
    subscription = subscribe(user)

    with mock.patch("pywebpush.webpush", side_effect=answer(500)):
        notify(recipients=[user], message=MESSAGE)

    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "500" in delivery.error
    subscription.refresh_from_db()
    assert subscription.failures == 1


@PUSH_ON
def test_one_live_browser_is_enough_when_another_is_gone(tree):
    user = tree.users["member_a1"]
    subscribe(user, "old")
    subscribe(user, "new")

    def webpush(subscription_info, **kwargs):
        if subscription_info["endpoint"].endswith("old"):
            raise answer(410)

    with mock.patch("pywebpush.webpush", side_effect=webpush):
        notify(recipients=[user], message=MESSAGE)

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == ["https://push.example.com/new"]
    assert Delivery.objects.get().state == DeliveryState.SENT


@PUSH_ON
def test_users_without_a_subscription_get_no_push_delivery(tree):
    with mock.patch("pywebpush.webpush") as webpush:
        notify(recipients=[tree.users["member_a1"]], message=MESSAGE)

    webpush.assert_not_called()
    assert not Delivery.objects.exists()


@override_settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY="")
def test_without_vapid_keys_push_is_off_and_the_inbox_still_works(tree):
    user = tree.users["member_a1"]
    subscribe(user)

    with mock.patch("pywebpush.webpush") as webpush:
        notify(recipients=[user], message=MESSAGE)

    webpush.assert_not_called()
    assert not Delivery.objects.exists()
    assert user.notifications.count() == 1


def test_a_generated_key_pair_has_the_sizes_browsers_expect():
    import base64

    public, private = vapid_key_pair()

    def decoded(value):
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))

    assert (len(decoded(public)), decoded(public)[0], len(decoded(private))) == (65, 4, 32)
