"""Production settings read only the environment and fail fast."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3Y-" + "".join(chr(65 + (i * 7) % 26) for i in range(60)),
    "ALLOWED_HOSTS": "learning.example.org,.h5p.example.net",
    "SITE_URL": "https://learning.example.org",
    "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "noreply@example.org",
    "LEARNING_H5P_ORIGIN": "https://h5p.example.net",
}


def _check(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["SECRET_KEY"]
    result = _check(env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_check_deploy_is_clean_with_all_variables():
    result = _check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
