"""The database connection lost in the middle of a notice's push fan-out (to the 100 of 301 recipients with a browser
subscribed: the others' inboxes resolve the notice on read): no batch half-written, and the retry leaves exactly one
notification per subscribed recipient and every push delivery sent, as without the fault.

The same commune is built for the reference run without a fault (once per test process, then the database is
emptied) and again for each run with the connection dropped at a chosen moment and retried. The end states are
compared without surrogate keys or timestamps (`fan_out_state`).
"""

import datetime
import functools
from collections import Counter
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.models import User
from accounts.tests.factories import make_user
from common.tests.faults import DROPS, ConnectionDrop, fresh_connection_per_task
from members.choices import Sex
from members.services import members_bulk_create
from members.tests.factories import citizen_id_for
from notices import services as notice_services
from notices import tasks as notice_tasks
from notices.models import Notice
from notices.selectors import notice_recipients
from notices.services import notice_create, notices_publish_due
from notifications import services as notification_services
from notifications import tasks as notification_tasks
from notifications.channels import reachable_users_q
from notifications.choices import DeliveryState
from notifications.models import Delivery, Notification, PushSubscription
from notifications.vapid import vapid_key_pair
from orgunits.choices import UnitKind
from orgunits.tests.factories import make_unit

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = 10
MEMBERS = 300  # with the commune's officer: 301 recipients; the 100 with push in 10 batches
PUBLIC, PRIVATE = vapid_key_pair()


@pytest.fixture(autouse=True)
def push_on(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = PUBLIC, PRIVATE


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(notification_services, "BATCH_SIZE", BATCH)


@pytest.fixture(autouse=True)
def push_service():
    """The push service's answers: every push accepted, each one counted by endpoint."""
    with mock.patch("pywebpush.webpush") as webpush:
        yield webpush


# -- the commune: the same every time it is built ------------------------------------------------------------------------


def person(serial: int, cell) -> dict:
    sex = Sex.MALE if serial % 2 else Sex.FEMALE
    born = datetime.date(1950 + serial % 40, 1 + serial % 12, 1 + serial % 28)
    joined = datetime.date(born.year + 25, 5, 19)
    return {
        "unit": cell,
        "full_name": f"Đảng viên số {serial}",
        "sex": sex,
        "date_of_birth": born,
        "joined_on": joined,
        "official_on": datetime.date(joined.year + 1, 5, 19),
        "citizen_id": citizen_id_for(sex=sex, date_of_birth=born, serial=serial, province="036"),
        "card_number": f"{40_000_000 + serial}",
    }


def build_commune():
    """A commune of four cells, 300 members each with an account (a third with a browser subscribed to push),
    and the officer who issues notices."""
    central = make_unit(kind=UnitKind.CENTRAL, name="Trung ương", code="TW")
    province = make_unit(parent=central, kind=UnitKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh Thử", code="FP")
    commune = make_unit(parent=province, kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng bộ xã Thông Báo", code="FN")
    cells = [make_unit(parent=commune, name=f"Chi bộ thôn {number}", code=f"FN-C{number}") for number in range(1, 5)]
    officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=commune, username="officer_fn")
    members = members_bulk_create(
        actor=officer, rows=[person(serial, cells[serial % 4]) for serial in range(MEMBERS)], reason="Sổ đảng viên"
    )
    users = User.objects.bulk_create(
        User(username=f"dv_{member.card_number}", password="!", member=member) for member in members
    )
    PushSubscription.objects.bulk_create(
        PushSubscription(user=user, endpoint=f"https://push.example.com/{user.username}", p256dh="BKEY", auth="AUTH")
        for user in users[::3]
    )
    return commune, officer


def issue(commune, officer, **options) -> Notice:
    return notice_create(
        actor=officer,
        unit=commune,
        title="Thông báo họp chi bộ tháng 12",
        body="Kính gửi các đồng chí đảng viên.\nNội dung thông báo.",
        **options,
    )


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


# The reference run is the same in every test: it is made once per test process, by the first test.
_REFERENCE: list[dict] = []


def reference_state(push_service) -> dict:
    """The end state of the same fan-out without any fault, on a fresh copy of the same data (the test's empty
    database, emptied again afterwards)."""
    if not _REFERENCE:
        commune, officer = build_commune()
        notice = issue(commune, officer)
        state = fan_out_state(notice, push_service)
        assert len(state["inboxes"]) == MEMBERS // 3
        assert state["notice"] == (True, True, None)
        assert {delivery[2] for delivery in state["deliveries"]} == {DeliveryState.SENT}
        empty_the_database()
        push_service.reset_mock()
        _REFERENCE.append(state)
    return _REFERENCE[0]


class Worker:
    """Stands for the broker and a Celery worker: the tasks are queued instead of run in-process, then run one by
    one as a worker runs them, each retry included (`throw=False`: Celery's eager mode then runs the retry a task
    asks for, instead of raising it to the caller), each in a working connection."""

    TASKS = (notice_tasks.notice_fan_out_task, notification_tasks.notify_batch_task, notification_tasks.deliver_task)

    def __init__(self, monkeypatch):
        self.queue: list = []
        self.failures = 0
        for task in self.TASKS:
            monkeypatch.setattr(task, "delay", functools.partial(self._queue, task))

    def _queue(self, task, *args) -> None:
        self.queue.append((task, args))

    def run_queued(self) -> None:
        with fresh_connection_per_task():
            while self.queue:
                task, args = self.queue.pop(0)
                self.failures += task.apply(args=args, throw=False).failed()


# -- comparing end states without surrogate keys or timestamps ------------------------------------------------------------


def fan_out_state(notice: Notice, push_service) -> dict:
    names = dict(User.objects.values_list("pk", "username"))
    notice.refresh_from_db()
    notifications = Notification.objects.filter(dedupe_key=notice.notification_key)
    return {
        "notice": (notice.published_at is not None, notice.fanned_out_at is not None, notice.withdrawn_at),
        "inboxes": sorted(
            (names[item.user_id], item.kind, item.title, item.body, item.url.replace(str(notice.pk), "<pk>"))
            for item in notifications
        ),
        "other notifications": Notification.objects.exclude(dedupe_key=notice.notification_key).count(),
        "deliveries": sorted(
            (names[item.notification.user_id], item.channel, item.state, item.attempts, item.error, bool(item.sent_at))
            for item in Delivery.objects.select_related("notification")
        ),
        "subscriptions": sorted(
            (item.endpoint, item.failures, bool(item.last_success_at)) for item in PushSubscription.objects.all()
        ),
        "pushes": Counter(call.kwargs["subscription_info"]["endpoint"] for call in push_service.call_args_list),
    }


def recipient_batches(notice: Notice) -> list[list[int]]:
    """The ids of the recipients with push, in the batches the fan-out writes them in."""
    reachable = notice_recipients(notice).filter(reachable_users_q(("push",)))
    ids = list(reachable.values_list("pk", flat=True).order_by("pk").distinct())
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def assert_whole_batches_only(notice: Notice, *, written_batches: int) -> None:
    """The first batches have exactly one notification per recipient, with their push deliveries; the others none."""
    owners = Counter(Notification.objects.filter(dedupe_key=notice.notification_key).values_list("user_id", flat=True))
    batches = recipient_batches(notice)
    written = [user_id for batch in batches[:written_batches] for user_id in batch]
    assert owners == Counter(written)
    subscribed = set(PushSubscription.objects.values_list("user_id", flat=True))
    assert sorted(Delivery.objects.values_list("notification__user_id", flat=True)) == sorted(
        user_id for user_id in written if user_id in subscribed
    )


# -- the tests ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", DROPS)
@pytest.mark.parametrize("failing_batch", [1, 7], ids=["first batch", "mid-way"])
def test_a_fan_out_that_loses_its_connection_writes_whole_batches_and_is_finished_once_by_the_publisher(
    how, failing_batch, monkeypatch, push_service
):
    # Given the state a fault-free fan-out ends in, and a fresh copy of the same commune
    expected = reference_state(push_service)
    commune, officer = build_commune()
    # ... whose connection drops in one batch, after its notifications are written and before its deliveries are
    drop = ConnectionDrop(how, at=failing_batch)
    monkeypatch.setattr(
        notification_services, "reachable_user_ids", drop.wrap(notification_services.reachable_user_ids)
    )

    # When a notice is issued: it is saved, and its fan-out runs once the transaction commits (eagerly here)
    notice = issue(commune, officer)

    # Then the notice is out but its fan-out is not done: the batches before the fault are whole, the failing
    # batch left nothing, and the later ones were not written
    assert drop.drops == 1
    connection.close()
    notice.refresh_from_db()
    assert (notice.published_at is not None, notice.fanned_out_at) == (True, None)
    assert_whole_batches_only(notice, written_batches=failing_batch - 1)

    # When the publisher runs: at first it leaves the fan-out alone (with a broker, its tasks may be retrying)
    notices_publish_due()
    assert_whole_batches_only(notice, written_batches=failing_batch - 1)

    # ... but after a while (Celery's retries spent, or no broker to retry) it starts the fan-out again
    assert notices_publish_due(now=timezone.now() + notice_services.FAN_OUT_RETRY_AFTER) == 0

    # Then every recipient has the notice once, every push went out once: as without the fault
    assert fan_out_state(notice, push_service) == expected


@pytest.mark.parametrize("how", DROPS)
def test_push_deliveries_cut_short_by_a_lost_connection_are_all_sent_when_the_fan_out_is_finished(
    how, monkeypatch, push_service
):
    expected = reference_state(push_service)
    commune, officer = build_commune()
    # The connection drops while the pushes of the fifth batch are being sent, its notifications written (a batch
    # has 10 recipients, each with a browser subscribed: 10 pushes)
    drop = ConnectionDrop(how, at=4 * 10 + 3)
    monkeypatch.setattr(notification_tasks, "delivery_send", drop.wrap(notification_tasks.delivery_send))

    notice = issue(commune, officer)

    assert drop.drops == 1
    connection.close()
    assert Delivery.objects.filter(state=DeliveryState.PENDING).exists()
    assert_whole_batches_only(notice, written_batches=5)

    notices_publish_due(now=timezone.now() + notice_services.FAN_OUT_RETRY_AFTER)

    assert not Delivery.objects.exclude(state=DeliveryState.SENT).exists()
    assert fan_out_state(notice, push_service) == expected


@pytest.mark.parametrize("how", DROPS)
@pytest.mark.parametrize(
    "spot",
    [
        # reading the recipients: after the fifth batch is queued
        ("notify_batch_task.delay", 5),
        # writing the seventh batch, after its notifications and before its deliveries
        ("reachable_user_ids", 7),
        # sending the pushes of the third batch
        ("delivery_send", 2 * 10 + 4),
    ],
    ids=["reading the recipients", "writing a batch", "sending a push"],
)
def test_in_a_worker_the_task_that_lost_its_connection_retries_itself_and_the_result_is_as_without_the_fault(
    how, spot, monkeypatch, push_service
):
    # Given the state a fault-free fan-out ends in, and a fresh copy of the same commune, with a worker
    expected = reference_state(push_service)
    commune, officer = build_commune()
    worker = Worker(monkeypatch)
    drop = ConnectionDrop(how, at=spot[1])
    if spot[0] == "notify_batch_task.delay":
        task = notification_tasks.notify_batch_task
        monkeypatch.setattr(task, "delay", drop.wrap(task.delay))
    else:
        module = notification_services if spot[0] == "reachable_user_ids" else notification_tasks
        monkeypatch.setattr(module, spot[0], drop.wrap(getattr(module, spot[0])))

    # When a notice is issued and the worker runs the tasks it queued
    notice = issue(commune, officer)
    worker.run_queued()

    # Then the failed task retried itself, and the end state is the fault-free one, without the publisher's help
    assert (drop.drops, worker.failures) == (1, 0)
    assert fan_out_state(notice, push_service) == expected
