"""Losing the database connection at a chosen moment, for the fault-injection tests.

A test wraps a function the code under test calls (per batch or per row) with `ConnectionDrop.wrap`; the
chosen call loses the connection first, in one of two ways:

- "terminated" (PostgreSQL only): a second connection runs `pg_terminate_backend` on the worker's own
  backend, as a server restart, a failover or a proxy cutting the connection would. The worker's next
  statement fails for real, and Django drops the broken connection when it cannot roll back.
- "raised" (any database): `django.db.OperationalError` is raised at that spot, as the driver raises it.
"""

import contextlib
import dataclasses
import functools

import pytest
from celery import signals
from django.db import OperationalError, connection

DROPS = [
    pytest.param(
        "terminated",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql", reason="terminates a real server connection (PostgreSQL)"
        ),
    ),
    "raised",
]


def terminate_backend() -> None:
    """Kill this process's connection from another one, and wait until the server has closed it."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    parameters = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    with psycopg.connect(**{key: value for key, value in parameters.items() if value}, autocommit=True) as other:
        [terminated] = other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert terminated, f"backend {pid} was not terminated"


@dataclasses.dataclass
class ConnectionDrop:
    """Drops the connection on calls number `at` to `at + times - 1` (1-based) of the wrapped functions."""

    how: str
    at: int
    times: int = 1
    calls: int = 0
    drops: int = 0

    def wrap(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            self.calls += 1
            if self.at <= self.calls < self.at + self.times:
                self.drop()
            return function(*args, **kwargs)

        return wrapper

    def drop(self) -> None:
        self.drops += 1
        if self.how == "terminated":
            terminate_backend()
        else:
            raise OperationalError("server closed the connection unexpectedly (simulated)")


def _close_if_unusable(**kwargs) -> None:
    connection.close_if_unusable_or_obsolete()


@contextlib.contextmanager
def fresh_connection_per_task():
    """What Celery's Django fix-up does in a worker, for tasks run in-process: before each task, and so before each
    retry, a connection that failed is closed, and the task opens a new one."""
    signals.task_prerun.connect(_close_if_unusable, weak=False)
    try:
        yield
    finally:
        signals.task_prerun.disconnect(_close_if_unusable)
