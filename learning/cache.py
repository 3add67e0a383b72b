"""A Redis cache that is an optimisation, never a dependency.

``ResilientRedisCache`` is django-redis's ``RedisCache`` with a circuit breaker: when Redis
refuses connections or does not answer within the (short) socket timeouts, the failure
is logged once and, for ``DOWN_SECONDS``, every call answers at once as an empty cache
that keeps nothing would (``get`` returns the default, ``add`` and ``set`` store
nothing, ``incr`` finds no key) without touching the network; then one call tries Redis
again. Pages, sessions (``cached_db``) and everything else read through the cache fall
back to the database, so the site is slower, not down.

Rate limits fail safe: allauth takes a lock with ``cache.add`` before counting an
attempt, and refuses the attempt when it cannot (answer 429). While the cache is down
``add`` stores nothing, so sign-in, sign-up and password-reset requests are refused
rather than allowed without limit (see "Running in production" in README.md).

Settings (``CACHES["default"]["OPTIONS"]``): django-redis's own options, plus
``DOWN_SECONDS`` (default 5).
"""

import logging
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FAILURES = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)

# {location: monotonic time until which the cache counts as down}, shared by the threads
# of a process (Django makes one cache object per thread).
_down_until = {}
_lock = threading.Lock()


def cache_is_down(cache):
    """True while ``cache`` (a ``ResilientRedisCache``) is answering as an empty cache."""
    return _down_until.get(getattr(cache, "_server", None), 0) > time.monotonic()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.down_seconds = float(options.pop("DOWN_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})

    def _call(self, name, fallback, *args, **kwargs):
        server = self._server
        if _down_until.get(server, 0) > time.monotonic():
            return fallback()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except FAILURES as error:
            with _lock:
                was_up = _down_until.get(server, 0) <= time.monotonic()
                _down_until[server] = time.monotonic() + self.down_seconds
            if was_up:
                logger.warning(
                    "Cache unavailable (%s: %s); serving without it for %s s.",
                    type(error).__name__,
                    error,
                    self.down_seconds,
                )
            return fallback()

    def get(self, key, default=None, version=None, client=None):
        return self._call("get", lambda: default, key, default, version, client)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", dict, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", lambda: False, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", lambda: False, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", lambda: False, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._call("set_many", lambda: list(data), data, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", lambda: False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", lambda: False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", lambda: 0, *args, **kwargs)

    def delete_pattern(self, *args, **kwargs):
        return self._call("delete_pattern", lambda: 0, *args, **kwargs)

    def clear(self):
        return self._call("clear", lambda: False)

    def incr(self, key, delta=1, version=None, client=None, **kwargs):
        def missing():
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")

        return self._call("incr", missing, key, delta, version, client, **kwargs)

    def decr(self, key, delta=1, version=None, client=None, **kwargs):
        def missing():
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")

        return self._call("decr", missing, key, delta, version, client, **kwargs)

    def ping(self):
        """True when Redis answers now (for the health endpoint; ignores the breaker)."""
        try:
            return bool(self.client.get_client(write=False).ping())
        except FAILURES:
            return False
