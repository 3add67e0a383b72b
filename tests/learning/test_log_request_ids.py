"""Every log line written while serving a request carries the request's id, which the
response names in ``X-Request-ID``; a client's own id is used only behind trusted proxies."""

import io
import json
import logging
import re

import pytest
from django.test import override_settings

from learning.log import JSONFormatter, TextFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log():
    """What the ``django.request`` logger writes (a 404 is logged there), as text lines
    and as JSON lines."""
    text, json_lines = io.StringIO(), io.StringIO()
    handlers = [logging.StreamHandler(text), logging.StreamHandler(json_lines)]
    handlers[0].setFormatter(TextFormatter())
    handlers[1].setFormatter(JSONFormatter())
    logger = logging.getLogger("django.request")
    for handler in handlers:
        logger.addHandler(handler)
    yield text, json_lines
    for handler in handlers:
        logger.removeHandler(handler)


def test_log_lines_of_a_request_carry_the_id_the_response_names(client, request_log):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    text, json_lines = (stream.getvalue().strip().splitlines()[-1] for stream in request_log)
    assert f" {request_id} Not Found: /no-such-page-here/" in text
    assert json.loads(json_lines)["request_id"] == request_id

    # Each request its own id; lines written outside a request have none.
    assert client.get("/no-such-page-here/")["X-Request-ID"] != request_id
    logging.getLogger("django.request").warning("outside")
    assert " - outside" in request_log[0].getvalue()


def test_a_clients_own_id_is_ignored_without_trusted_proxies(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-client")
    assert response["X-Request-ID"] != "chosen-by-client"


@override_settings(LEARNING_TRUSTED_PROXY_COUNT=1)
def test_the_proxys_id_is_kept_behind_a_trusted_proxy_unless_malformed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="5f0c3a1e9b7d4e21")
    assert response["X-Request-ID"] == "5f0c3a1e9b7d4e21"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x y\\nERROR forged line")
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
