"""`manage.py check --deploy` finds nothing to warn about with the production settings."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sotay.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Kq2mZ9pL4vN8rT1wY6" * 3,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "ALLOWED_HOSTS": "sotay.example.vn",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
