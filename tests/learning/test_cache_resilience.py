"""The cache is an optimisation: with Redis unreachable (a closed port) or silent (a
socket that accepts and never answers), pages, sessions and webinar registration keep
working within a couple of seconds, and rate-limited sign-in fails safe (refused). With a
real Redis, every key carries the deployment's prefix and version."""

import time

import pytest
import redis
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from config.settings.base import redis_caches
from learning import cache as resilient
from learning.backends import _key as user_cache_key
from learning.factories import UserFactory
from webinars.factories import WebinarPageFactory
from webinars.models import Registration

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2026"  # learning.factories.UserFactory's


def redis_settings(url, key_prefix="learning.example.org", version=1):
    return override_settings(
        CACHES=redis_caches(url, key_prefix=key_prefix, version=version),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


@pytest.fixture(autouse=True)
def _breaker_closed():
    resilient._down_until.clear()
    yield
    resilient._down_until.clear()


def timed(call, *args, **kwargs):
    start = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - start


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_with_redis_pages_and_login_work_and_keys_carry_prefix_and_version(client, redis_url):
    user = UserFactory()
    with redis_settings(redis_url, key_prefix="deploy-a", version=3):
        assert client.get("/").status_code == 200
        response = login(client, user.email)
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(user.pk)
        assert client.get(reverse("learning:dashboard")).status_code == 200

    keys = redis.Redis.from_url(redis_url).keys("*")
    assert keys
    assert all(key.startswith(b"deploy-a:3:") for key in keys), keys


def test_two_deployments_sharing_a_redis_never_read_each_others_users(redis_url):
    user = UserFactory()
    with redis_settings(redis_url, key_prefix="staging.example.org"):
        cache.set(user_cache_key(user.pk), user)
        assert cache.get(user_cache_key(user.pk)) == user
    with redis_settings(redis_url, key_prefix="learning.example.org"):
        assert cache.get(user_cache_key(user.pk)) is None
    with redis_settings(redis_url, key_prefix="staging.example.org", version=2):
        assert cache.get(user_cache_key(user.pk)) is None


@pytest.mark.parametrize("outage", ["closed_port_url", "blackhole_url"])
def test_site_keeps_working_without_the_cache(request, client, outage):
    url = request.getfixturevalue(outage)
    user = UserFactory()
    webinar = WebinarPageFactory(capacity=5)
    # Warm up (templates, URL resolvers) so the times below measure the outage only.
    client.get("/")
    client.get(reverse("account_login"))
    with redis_settings(url):
        home, home_time = timed(client.get, "/")
        page, page_time = timed(client.get, reverse("account_login"))
        attempt, attempt_time = timed(login, client, user.email)
        assert home.status_code == 200 and page.status_code == 200
        assert max(home_time, page_time, attempt_time) < 2, (home_time, page_time, attempt_time)

        # Fail safe: without the shared counters, sign-in attempts are refused, with a
        # message that says why and what to do (never an unlimited number of guesses).
        assert attempt.status_code == 429
        assert SESSION_KEY not in client.session
        assert "try again in a few minutes" in attempt.content.decode()

        # People already signed in keep their session (database-backed) and can register.
        client.force_login(user)
        dashboard, dashboard_time = timed(client.get, reverse("learning:dashboard"))
        registered, register_time = timed(
            client.post, reverse("webinars:register", args=[webinar.pk])
        )
        assert dashboard.status_code == 200 and registered.status_code == 302
        assert max(dashboard_time, register_time) < 2, (dashboard_time, register_time)
        assert Registration.objects.get(user=user).status == "confirmed"


def test_a_silent_redis_costs_one_timeout_then_nothing(blackhole_url):
    with redis_settings(blackhole_url):
        _, first = timed(cache.get, "anything")
        _, second = timed(cache.get, "anything")
        assert cache.add("key", 1) is False
        with pytest.raises(ValueError):
            cache.incr("key")
    assert first < 1.0, first  # the read timeout (0.3 s), not redis-py's default of none
    assert second < 0.05, second  # the breaker is open: no network at all


def test_cache_comes_back_after_the_outage(redis_url, closed_port_url):
    with redis_settings(closed_port_url):
        assert cache.set("k", 1) is False
        assert resilient.cache_is_down(cache)
    with redis_settings(redis_url):
        assert cache.set("k", 1) is not False
        assert cache.get("k") == 1
