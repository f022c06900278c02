"""Queueing background work from services without importing the tasks module.

Each app's tasks module imports its services (the work a task does), so a service that queued a task by importing
it would close a cycle. Services name the task by its dotted path instead; it is resolved when it is queued. The
contract "Services never import tasks" in pyproject.toml keeps it so.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue(task_path: str, *args) -> None:
    """Queue the task named `task_path` (e.g. "notices.tasks.notice_fan_out_task") now, with `args`."""
    import_string(task_path).delay(*args)


def enqueue_on_commit(task_path: str, *args, robust: bool = False) -> None:
    """Queue the task once the current transaction commits: never for a change that was rolled back.

    `robust`: a task that fails when it runs in-process (eager mode, no broker) is logged, not raised to the caller.
    """
    transaction.on_commit(lambda: enqueue(task_path, *args), robust=robust)
