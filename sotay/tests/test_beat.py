"""Every periodic task in the beat schedule names a task that exists, and has a command for cron beside it."""

import importlib

import pytest
from django.conf import settings

from sotay.celery import app

SCHEDULE = sorted(settings.CELERY_BEAT_SCHEDULE.items())


@pytest.mark.parametrize(("name", "entry"), SCHEDULE, ids=[name for name, _entry in SCHEDULE])
def test_each_scheduled_task_is_a_registered_task(name, entry):
    module, _dot, function = entry["task"].rpartition(".")
    importlib.import_module(module)

    assert entry["task"] in app.tasks, f"{name}: {entry['task']} is not a Celery task"
    assert getattr(importlib.import_module(module), function).name == entry["task"]
