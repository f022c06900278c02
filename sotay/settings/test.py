"""Test overlay: fast hashing, no lockout across tests unless a test asks for it."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
DEBUG = False
# Serve static files from the apps' folders, as in development: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded papers go to a throw-away folder, never into the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sotay-test-media-"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live server's request threads then open their own connections, as in production.
    # An in-memory database is one connection shared by the test and every request thread, and concurrent
    # use of one sqlite3 connection deadlocks (GIL against SQLite's mutex) when a page fires several requests.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="sotay-test-db-")) / "test.sqlite3")}  # noqa: F405
# A second alias standing for a read replica: a mirror of the test database. The router uses it only where
# a test turns READ_REPLICA on (sotay/tests/test_routers.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_REPLICA = None
# Tests sign officials in with force_login and no second step; accounts/tests/test_two_factor.py turns the
# requirement on and checks that every page holds an official back until the second step is passed.
TWO_FACTOR_ENFORCED = False
