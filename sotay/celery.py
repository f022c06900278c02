"""Celery app: a Redis broker in production, eager in-process execution in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sotay.settings.base")
app = Celery("sotay")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
