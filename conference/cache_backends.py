"""Cache backends that degrade instead of failing: a full disk, an unwritable cache folder or a Redis that is
down makes the site slower (every read misses, writes are dropped), never broken. Configured in settings,
so every `cache.` call in the project and in libraries (sessions, allauth's rate limits) is guarded.

A cache that hangs (Redis paused, a network that drops packets) is worse than one that is down: every call
would wait. Redis connections therefore have short socket timeouts (settings: CACHE_TIMEOUT_SECONDS), and after
one failure a process stops asking the cache for BREAKER_SECONDS: every call then answers at once as if the
cache were empty, and the first call after the pause tries again. So a hung cache costs a request at most one
timeout, and every other request in that pause nothing.

Rate-limit counters are not in this cache but in the database (conference/rate_limits.py): a failing or
evicting cache leaves the sign-in limits in force.
"""

import logging
import re
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# One warning per this many seconds and process, so that a broken cache does not flood the log.
LOG_EVERY_SECONDS = 60
# After a failure, how long a process answers every cache call as a miss without asking the cache.
BREAKER_SECONDS = 5.0


class CacheUnavailable(Exception):
    """Raised in place of a call while the breaker is open."""


# Per process and cache location, not per backend object: Django makes one backend object per thread.
_resting_until = {}


class GuardedCacheMixin:
    _last_logged = 0.0

    def _breaker_key(self):
        return (type(self).__name__, str(getattr(self, "_servers", None) or getattr(self, "_dir", "")))

    def _failed(self, operation, error):
        if not isinstance(error, CacheUnavailable):
            _resting_until[self._breaker_key()] = time.monotonic() + BREAKER_SECONDS
        now = time.monotonic()
        if now - GuardedCacheMixin._last_logged >= LOG_EVERY_SECONDS:
            GuardedCacheMixin._last_logged = now
            logger.warning("Cache %s failed, carrying on without the cache: %r", operation, error)

    def is_resting(self):
        """True while this process does not ask the cache because it failed moments ago (/healthz says so)."""
        return time.monotonic() < _resting_until.get(self._breaker_key(), 0.0)

    def _call(self, operation, *args):
        if self.is_resting():
            raise CacheUnavailable(operation)
        return getattr(super(), operation)(*args)

    def _guarded(self, operation, fallback, *args):
        """The backend's own `operation` with `args`, or `fallback` (and a logged warning) when it fails."""
        try:
            return self._call(operation, *args)
        except Exception as error:
            self._failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # A failure reports success, as a failed set does: callers that use add() as a lock (allauth's rate
        # limits) then go on instead of waiting a second for a lock and answering "too many requests".
        return self._guarded("add", True, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return self._call("incr", key, delta, version)
        except ValueError:
            raise  # a missing key is the caller's business, as with any cache
        except Exception as error:
            self._failed("incr", error)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def clear(self):
        return self._guarded("clear", None)


class GuardedFileBasedCache(GuardedCacheMixin, FileBasedCache):
    def _createdir(self):
        # Also called when the backend is made: a cache folder that cannot be made must not stop a request.
        try:
            super()._createdir()
        except OSError as error:
            self._failed("create folder", error)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, and each one builds its table of some 170 response
    callbacks: about a fifth of a millisecond of CPU per call (a door scan makes four). A redis.Redis is safe to
    share (it takes a connection from its pool per command), so one per pool serves every call."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class GuardedRedisCache(GuardedCacheMixin, RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def clear(self):
        """Delete this installation's keys (those under KEY_PREFIX), not the whole Redis database as Django's
        FLUSHDB does: another installation sharing the Redis keeps its pages and its visitors' sessions."""
        if not self.key_prefix:
            return super().clear()
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        try:
            if self.is_resting():
                raise CacheUnavailable("clear")
            client = self._cache.get_client(write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        except Exception as error:
            self._failed("clear", error)
        return None
