"""Settings of the xAPI ingestion benchmark: production settings, the per-learner rate
limit off (the benchmark measures the server, not the limiter), and for a sqlite:// URL
the same SQLite options as the embedded default (IMMEDIATE transactions, WAL)."""

import os

from config.settings.production import *  # noqa: F403

LEARNING_XAPI_RATE_LIMIT = 0

if os.environ["DATABASE_URL"].startswith("sqlite://"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["DATABASE_URL"].removeprefix("sqlite:///"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
