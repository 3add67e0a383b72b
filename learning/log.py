"""Log formatting for the runnable site: every line carries its time (UTC, ISO 8601);
``LOG_FORMAT=json`` writes one JSON object per line for a log collector."""

import json
import logging
import time


class TextFormatter(logging.Formatter):
    converter = time.gmtime
    default_format = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"

    def __init__(self, fmt=None, **kwargs):
        super().__init__(fmt or self.default_format, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's API
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


class JSONFormatter(TextFormatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
