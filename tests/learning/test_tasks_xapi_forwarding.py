"""Forwarding stored statements to an external LRS, against a real HTTP server on
127.0.0.1 (tasks run immediately in the test settings)."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from learning import tasks
from learning.h5p.services import record_statements
from learning.models import XAPIStatement
from tests.fixtures_h5p_play import statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def lrs():
    """A tiny LRS: records requests; answers with the statuses queued in ``replies``."""
    received = []
    replies = []

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": self.headers, "body": json.loads(body)})
            self.send_response(replies.pop(0) if replies else 204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{server.server_port}/xapi/",
        "received": received,
        "replies": replies,
    }
    server.shutdown()
    server.server_close()


def lrs_settings(lrs, **extra):
    return override_settings(
        LEARNING_XAPI_LRS_ENDPOINT=lrs["url"],
        LEARNING_XAPI_LRS_USERNAME="key",
        LEARNING_XAPI_LRS_PASSWORD="secret",
        **extra,
    )


def test_stored_statement_is_forwarded_with_credentials(
    lrs, user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    data = statement(activity_page, quick_check_content, raw=1)
    with lrs_settings(lrs), django_capture_on_commit_callbacks(execute=True):
        record_statements(user, data)
    assert len(lrs["received"]) == 1
    request = lrs["received"][0]
    assert request["path"] == f"/xapi/statements?statementId={data['id']}"
    assert (
        request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"key:secret").decode()
    )
    assert request["headers"]["X-Experience-API-Version"] == "1.0.3"
    assert request["body"]["id"] == data["id"]
    assert request["body"]["actor"]["account"]["name"] == str(user.pk)  # never the forged one
    assert XAPIStatement.objects.get().forwarded_at is not None


def test_failures_are_retried_until_the_lrs_accepts(
    lrs, user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    lrs["replies"].extend([503, 500])
    with lrs_settings(lrs), django_capture_on_commit_callbacks(execute=True):
        record_statements(user, statement(activity_page, quick_check_content, raw=1))
    assert len(lrs["received"]) == 3
    assert XAPIStatement.objects.get().forwarded_at is not None


def test_forwarding_gives_up_after_max_attempts(
    lrs, user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    lrs["replies"].extend([500] * 10)
    with (
        lrs_settings(lrs, LEARNING_XAPI_LRS_MAX_ATTEMPTS=3),
        django_capture_on_commit_callbacks(execute=True),
    ):
        record_statements(user, statement(activity_page, quick_check_content, raw=1))
    assert len(lrs["received"]) == 3
    assert XAPIStatement.objects.get().forwarded_at is None


def test_unreachable_lrs_does_not_break_recording(
    user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    with (
        override_settings(
            LEARNING_XAPI_LRS_ENDPOINT="http://127.0.0.1:9/xapi/", LEARNING_XAPI_LRS_MAX_ATTEMPTS=2
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = record_statements(user, statement(activity_page, quick_check_content, raw=1))
    assert result.stored == 1
    assert XAPIStatement.objects.get().forwarded_at is None


def test_nothing_is_sent_without_an_endpoint(
    lrs, user, activity_page, quick_check_content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_statements(user, statement(activity_page, quick_check_content, raw=1))
    assert lrs["received"] == []


def test_retry_delay_backs_off_and_is_capped():
    delays = [tasks.retry_delay(attempt).total_seconds() for attempt in (1, 2, 3, 10)]
    assert delays == [30, 60, 120, 3600]
