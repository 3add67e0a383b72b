"""Behind a proxy, the sign-in rate limit keys on the client (X-Forwarded-For, trusting
the configured number of proxies): one attacker does not lock out everyone, and spoofed
entries do not reset the limit. Under production settings the language cookie is Secure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse

from learning.factories import UserFactory
from learning.network import client_address
from tests.learning.test_settings_production import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"
ATTACKER = "203.0.113.5"
VICTIM = "198.51.100.7"
PASSWORD = "demo-pass-2026"


def login(client, email, password, *, forwarded_for, remote=PROXY):
    client.logout()
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def exhaust_attacker_limit(client):
    """Five failed sign-ins from the attacker, each for another (unknown) account, so
    only the per-address limit is reached, never one account's."""
    for number in range(5):
        response = login(client, f"guess{number}@example.org", "wrong", forwarded_for=ATTACKER)
        assert response.status_code == 200


@override_settings(LEARNING_TRUSTED_PROXY_COUNT=1)
def test_one_attacker_behind_the_proxy_does_not_lock_out_others(client):
    attacker, victim = UserFactory(), UserFactory()
    exhaust_attacker_limit(client)

    refused = login(client, attacker.email, PASSWORD, forwarded_for=ATTACKER)
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in refused.text

    allowed = login(client, victim.email, PASSWORD, forwarded_for=VICTIM)
    assert allowed.status_code == 302
    assert client.session[SESSION_KEY] == str(victim.pk)


@override_settings(LEARNING_TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("spoofed", ["192.0.2.44", "192.0.2.1, 192.0.2.2", "not-an-ip", ""])
def test_spoofed_forwarded_entries_do_not_reset_the_limit(client, spoofed):
    attacker = UserFactory()
    exhaust_attacker_limit(client)
    # The proxy appends the address it saw; what the client sent comes before it.
    chain = f"{spoofed}, {ATTACKER}" if spoofed else ATTACKER
    response = login(client, attacker.email, PASSWORD, forwarded_for=chain)
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.text


def test_without_a_trusted_proxy_the_header_is_ignored(client):
    """Default (0): the client is REMOTE_ADDR; a forged header changes nothing."""
    attacker = UserFactory()
    for number in range(5):
        login(
            client,
            f"guess{number}@example.org",
            "wrong",
            forwarded_for=f"192.0.2.{number}",
            remote=ATTACKER,
        )
    response = login(client, attacker.email, PASSWORD, forwarded_for="192.0.2.99", remote=ATTACKER)
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.text


@pytest.mark.parametrize(
    "count, forwarded, expected",
    [
        (0, "192.0.2.1", PROXY),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: leftmost
        (1, "[2001:db8::1]:4711", "2001:db8::1"),
        (1, "203.0.113.5:4711", "203.0.113.5"),
        (1, "garbage\x00, ", PROXY),  # not an address: REMOTE_ADDR, never an error
        (1, "", PROXY),
    ],
)
def test_client_address(rf, count, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(LEARNING_TRUSTED_PROXY_COUNT=count):
        assert client_address(request) == expected


@override_settings(
    LANGUAGE_COOKIE_SECURE=True, LANGUAGE_COOKIE_HTTPONLY=True, LANGUAGE_COOKIE_SAMESITE="Lax"
)
def test_profile_language_cookie_follows_the_cookie_settings(client, user):
    client.force_login(user)
    response = client.post(
        reverse("learning:profile"),
        {"full_name": "Amina", "country": "KE", "preferred_language": "fr", "time_zone": "UTC"},
    )
    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "fr"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_make_the_language_cookie_secure_and_read_the_proxy_count():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **PRODUCTION_ENV,
        "TRUSTED_PROXY_COUNT": "2",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
        "s.LEARNING_TRUSTED_PROXY_COUNT, s.SESSION_ENGINE, s.CACHES['default']['KEY_PREFIX'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # The last line: Django's shell may first report what it imported.
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "2",
        "django.contrib.sessions.backends.cached_db",
        "learning.example.org",
    ]
