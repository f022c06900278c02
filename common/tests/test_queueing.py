"""Services queue background work by the task's dotted name (common/queueing.py)."""

import pytest
from django.db import transaction

from common.queueing import enqueue, enqueue_on_commit


class RecordingTask:
    """Stands for a Celery task: records what `delay` was given."""

    def __init__(self):
        self.calls: list[tuple] = []

    def delay(self, *args) -> None:
        self.calls.append(args)


recording_task = RecordingTask()
TASK_PATH = f"{__name__}.recording_task"


@pytest.fixture(autouse=True)
def _empty_recording():
    recording_task.calls.clear()


def test_enqueue_resolves_the_task_by_its_dotted_name_and_queues_it_with_the_arguments():
    enqueue(TASK_PATH, 7, "x")

    assert recording_task.calls == [(7, "x")]


@pytest.mark.django_db
def test_enqueue_on_commit_queues_the_task_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(TASK_PATH, 42)
        assert recording_task.calls == []

    assert len(callbacks) == 1
    assert recording_task.calls == [(42,)]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_queues_nothing_when_the_transaction_is_rolled_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(TASK_PATH, 42)
        raise RuntimeError("rolled back")

    assert recording_task.calls == []


def test_an_unknown_task_name_is_an_error_at_once_rather_than_work_silently_lost():
    with pytest.raises(ImportError):
        enqueue("common.tests.test_queueing.no_such_task")
