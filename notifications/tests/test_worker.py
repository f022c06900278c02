"""The fan-out through a real Celery worker and Redis, as in production (skipped where Redis is not running).

The worker runs in a thread of this process (celery.contrib.testing), on its own Celery app whose queue
has a name of its own, so that other test runs sharing the Redis server never take these tasks.
"""

import socket
import threading
import time
import uuid

import pytest
from celery import Celery, signals
from celery.contrib.testing.worker import start_worker
from django.db import connections

import notifications.tasks  # noqa: F401 - registers the tasks before the worker's app is finalised
from accounts.models import User
from notifications.models import Notification
from notifications.services import Message, notify

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
RECIPIENTS = 300

pytestmark = pytest.mark.django_db(transaction=True)


def redis_is_running() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# (task name, thread) of every task run while the worker is up: they must run in the worker's thread.
RUN: list[tuple[str, int]] = []


def after_task(task=None, **kwargs):
    RUN.append((task.name, threading.get_ident()))
    # The worker thread's own database connections: closed after each task, or the test database could
    # not be flushed (or dropped, on PostgreSQL) while they stay open.
    connections.close_all()


@pytest.fixture
def redis_worker():
    if not redis_is_running():
        pytest.skip(f"no Redis at {REDIS_HOST}:{REDIS_PORT}")
    from sotay.celery import app as project_app

    app = Celery("sotay-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        task_always_eager=False,
        task_default_queue=f"sotay-test-{uuid.uuid4().hex}",
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    app.set_current()
    RUN.clear()
    signals.task_postrun.connect(after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        signals.task_postrun.disconnect(after_task)
        # start_worker made the test app the default too, which every thread without an app of its own uses
        # (the live server's): a later browser test's tasks went to this test's queue, never to run.
        project_app.set_current()
        project_app.set_default()
        app.close()


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


def test_a_fan_out_to_hundreds_of_users_runs_in_the_worker_and_fills_every_inbox_once(redis_worker, monkeypatch):
    monkeypatch.setattr("notifications.services.BATCH_SIZE", 40)  # 300 users: 8 batches, 8 tasks
    User.objects.bulk_create(User(username=f"worker_user_{index}", password="!") for index in range(RECIPIENTS))
    users = User.objects.filter(username__startswith="worker_user_")
    message = Message(kind="notice", title="Thông báo toàn đảng bộ", dedupe_key="notice:worker-test")

    started = time.monotonic()
    notify(recipients=users, message=message)
    queued_in = time.monotonic() - started
    # The same message again (a retry, a double click): the key keeps it to one per inbox.
    notify(recipients=users, message=message)

    assert wait_until(lambda: Notification.objects.count() >= RECIPIENTS)
    wait_until(lambda: len(RUN) >= 16)  # the second fan-out's batches too
    per_user = set(users.values_list("notifications__dedupe_key", flat=True).distinct())
    assert per_user == {"notice:worker-test"}
    assert Notification.objects.count() == RECIPIENTS
    assert Notification.objects.values("user").distinct().count() == RECIPIENTS
    # Queuing is all the caller waits for; the writing happened in the worker: 8 batches, twice.
    assert queued_in < 5
    assert [name for name, _thread in RUN] == ["notifications.tasks.notify_batch_task"] * 16
    assert threading.get_ident() not in {thread for _name, thread in RUN}
