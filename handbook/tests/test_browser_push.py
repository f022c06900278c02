"""A push message to the installed app becomes a notification that links into the app."""

import json

import pytest

from common.tests.browser import open_menu

from .test_browser import wait_until

pytestmark = pytest.mark.browser


def test_a_push_message_is_shown_as_a_notification(live_server, tree, phones):
    page = phones(live_server.url, "member_a1")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(f"{live_server.url}/handbook/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    session.send("ServiceWorker.enable")
    for _attempt in range(50):  # the registration is announced shortly after enabling
        if registrations:
            break
        page.wait_for_timeout(100)
    registration_id = next(r["registrationId"] for r in registrations if not r.get("isDeleted"))

    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id,
            "data": json.dumps({"title": "Họp chi bộ", "body": "Ngày 4 tháng 12", "url": "/meetings/"}),
        },
    )

    try:
        wait_until(
            page, "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => list.length === 1)"
        )
    except AssertionError as error:
        # Seldom seen on a loaded machine, never explained yet: say what the phone held when it gave up.
        state = page.evaluate(PHONE_STATE)
        raise AssertionError(
            f"{error}; pushed to {registration_id} of {registrations}; the phone then: {state}"
        ) from error
    shown = page.evaluate(
        "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
        ".then(([n]) => ({title: n.title, body: n.body, url: n.data.url}))"
    )
    assert shown == {"title": "Họp chi bộ", "body": "Ngày 4 tháng 12", "url": "/meetings/"}


# What a phone waiting for a notification holds: the permission, each registration's workers and notifications.
PHONE_STATE = """navigator.serviceWorker.getRegistrations().then(async (registrations) => ({
  permission: Notification.permission,
  controlled: navigator.serviceWorker.controller !== null,
  registrations: await Promise.all(registrations.map(async (r) => ({
    scope: r.scope,
    active: r.active && r.active.state,
    waiting: r.waiting && r.waiting.state,
    installing: r.installing && r.installing.state,
    notifications: (await r.getNotifications()).map((n) => n.title),
  }))),
}))"""


# The phone's push service is out of reach here: PushManager hands out a made-up subscription instead.
FAKE_PUSH_SERVICE = """
(() => {
  const subscription = {
    endpoint: "https://fcm.googleapis.com/fcm/send/phone-of-test",
    toJSON() { return { endpoint: this.endpoint, keys: { p256dh: "BKEY", auth: "AUTH" } }; },
    unsubscribe() { window.__unsubscribed = true; return Promise.resolve(true); },
  };
  PushManager.prototype.getSubscription = () => Promise.resolve(window.__subscribed ? subscription : null);
  PushManager.prototype.subscribe = () => { window.__subscribed = true; return Promise.resolve(subscription); };
})();
"""


def test_the_phone_subscribes_to_push_and_unsubscribes_on_sign_out(live_server, tree, phones, settings):
    from notifications.models import PushSubscription

    # Given Web Push is on and the member allowed notifications on this phone
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPUBLICKEY", "private"
    page = phones(live_server.url, "member_a1")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.context.add_init_script(FAKE_PUSH_SERVICE)

    # When they open the home
    page.goto(f"{live_server.url}/handbook/")

    # Then this phone is subscribed for them
    page.wait_for_function("() => sessionStorage.getItem('sotay-push') === '1'", timeout=15_000)
    subscription = PushSubscription.objects.get()
    assert subscription.user == tree.users["member_a1"]
    assert subscription.endpoint.endswith("/phone-of-test")

    # and signing out takes the phone off their messages
    open_menu(page)
    page.click(".site-nav form button[type=submit]")
    page.wait_for_url("**/login/**")
    assert not PushSubscription.objects.exists()
