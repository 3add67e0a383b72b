"""Log lines carry their UTC time; LOG_FORMAT=json writes one JSON object per line."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from learning.log import JSONFormatter, TextFormatter

ROOT = Path(__file__).resolve().parents[2]


def _record(message="Cache unavailable", exc_info=None):
    return logging.LogRecord("learning.cache", logging.WARNING, __file__, 1, message, (), exc_info)


def test_text_lines_start_with_the_utc_time():
    line = TextFormatter().format(_record())
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING learning\.cache \d+ ", line)
    assert line.endswith("Cache unavailable")


def test_json_lines_parse_and_carry_the_exception():
    try:
        raise ConnectionError("no answer")
    except ConnectionError:
        entry = json.loads(JSONFormatter().format(_record(exc_info=sys.exc_info())))
    assert entry["level"] == "WARNING" and entry["logger"] == "learning.cache"
    assert entry["time"].endswith("Z") and "ConnectionError: no answer" in entry["exception"]


def test_the_site_logs_through_the_formatter_chosen_by_log_format():
    code = "import logging; logging.getLogger('learning').warning('hello')"
    for log_format, check in (
        ("json", lambda s: json.loads(s)["message"] == "hello"),
        ("", lambda s: re.match(r"\d{4}-.*Z WARNING learning .*hello", s)),
    ):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "LOG_FORMAT": log_format,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert check(result.stderr.strip().splitlines()[-1]), result.stderr
