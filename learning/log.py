"""Log formatting for the runnable site: every line carries its time (UTC, ISO 8601)
and, when written while serving a request, the request's id (``RequestIdMiddleware``);
``LOG_FORMAT=json`` writes one JSON object per line for a log collector."""

import contextvars
import json
import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

from learning.conf import learning_settings

_request_id = contextvars.ContextVar("learning_request_id", default=None)
# What a proxy's id may look like (nginx's $request_id, a UUID, a load balancer's trace
# id); anything else is replaced, so a header cannot forge or break log lines.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:=-]{1,128}")


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    """Give each request an id, in every log line written while serving it and in the
    ``X-Request-ID`` response header. The id a client sends is used only when trusted
    proxies are configured (``LEARNING_TRUSTED_PROXY_COUNT``): the proxy in front must
    then set the header itself (nginx: ``proxy_set_header X-Request-ID $request_id``),
    so its log lines and ours share the id; otherwise it is a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = learning_settings.LEARNING_TRUSTED_PROXY_COUNT > 0
        request_id = sent if trusted and REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        # Kept until the request is finished, not only while this middleware runs:
        # Django logs error responses ("Not Found: ...") after the middleware returns.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(sender, **kwargs):
    _request_id.set(None)


class TextFormatter(logging.Formatter):
    converter = time.gmtime
    default_format = "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s"

    def __init__(self, fmt=None, **kwargs):
        super().__init__(fmt or self.default_format, **kwargs)

    def format(self, record):
        record.request_id = getattr(record, "request_id", None) or current_request_id() or "-"
        return super().format(record)

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
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
