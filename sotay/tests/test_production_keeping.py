"""Production keeps pages and roles between requests only in a cache every app process shares (Redis)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_KEEPING = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.HOME_CACHE_SECONDS, settings.ROLES_KEPT_SECONDS)"
)


@pytest.mark.parametrize(
    "redis_url, expected",
    [
        ("", "django.core.cache.backends.locmem.LocMemCache 0 0"),
        ("redis://127.0.0.1:6379/9", "common.cache.RedisCache 600 600"),
    ],
)
def test_without_redis_production_keeps_nothing(tmp_path, redis_url, expected):
    environment = {
        **{
            name: value
            for name, value in os.environ.items()
            if name not in ("HOME_CACHE_SECONDS", "ROLES_KEPT_SECONDS")
        },
        "DJANGO_SETTINGS_MODULE": "sotay.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq2mZ9pL4vN8rT1wY6" * 3,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'keeping.sqlite3'}",
        "ALLOWED_HOSTS": "sotay.example.vn",
        "REDIS_URL": redis_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_KEEPING],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
