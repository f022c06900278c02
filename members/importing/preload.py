"""Imported by the preview's fork server (`parallel`) before it forks any worker: Django set up once there, so that
every worker starts with the apps loaded."""

import django
from django.apps import apps

if not apps.ready:
    django.setup()
