"""Redis as the cache, and a per-process cache while Redis cannot be reached.

Pages, sessions and logins must not depend on Redis: it only makes them faster.
``FallbackRedisCache`` answers from a per-process ``LocMemCache`` while Redis is
down (pages are then slower, not broken), retries Redis every
``RETRY_SECONDS``, and logs the outage at most once every ``WARN_SECONDS``.

Keys written or deleted while Redis was away are deleted from Redis before it is
used again, so nothing stale comes back: not an old data version, and not a
session that was ended (or changed) during the outage. The sessions themselves
bypass the fallback (``config.sessions``): a per-process copy of a session
could outlive its logout in another process.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("newmedia.cache")

# More keys than this written during one outage: clear the whole Redis cache on
# its return instead of remembering each key.
MAX_TRACKED_KEYS = 100_000


class _Outage:
    """Process-wide state of one Redis location (Django makes a cache object per
    thread; the outage, the remembered keys and the fallback are shared)."""

    def __init__(self, location: str, timeout):
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.last_warning = float("-inf")
        self.written: set[str] = set()
        self.overflow = False
        self.fallback = LocMemCache(
            f"redis-fallback:{location}", {"TIMEOUT": timeout, "OPTIONS": {"MAX_ENTRIES": 5000}}
        )


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _redis_errors():
    import redis

    return (redis.exceptions.RedisError, OSError)


class FallbackRedisCache(RedisCache):
    RETRY_SECONDS = 15
    WARN_SECONDS = 60

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", self.RETRY_SECONDS))
        self.warn_seconds = float(options.pop("WARN_SECONDS", self.WARN_SECONDS))
        # An unreachable server must cost a request milliseconds, not the OS's
        # connect timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        params["OPTIONS"] = options
        super().__init__(server, params)
        location = ",".join(self._servers)
        with _OUTAGES_LOCK:
            self._outage = _OUTAGES.setdefault(location, _Outage(location, params.get("TIMEOUT", 300)))

    # ----- state

    @property
    def degraded(self) -> bool:
        """True while answers come from the per-process fallback."""
        return self._outage.down_since is not None

    def health(self) -> str:
        """'ok' if Redis answers now, else 'fallback' (pages are served from the
        per-process cache). One round trip to Redis, or none while it is known down
        and not yet due for a retry."""
        if not self._redis_usable():
            return "fallback"
        try:
            self._cache.get_client().ping()
        except _redis_errors() as error:
            self._went_down(error)
            return "fallback"
        return "ok"

    def _went_down(self, error) -> None:
        outage = self._outage
        now = time.monotonic()
        with outage.lock:
            if outage.down_since is None:
                outage.down_since = now
            outage.retry_at = now + self.retry_seconds
            warn = now - outage.last_warning >= self.warn_seconds
            if warn:
                outage.last_warning = now
        if warn:
            log.warning(
                "cache unavailable: serving from a per-process cache until Redis answers again",
                extra={"error": str(error)[:300], "retry_seconds": self.retry_seconds},
            )

    def _redis_usable(self) -> bool:
        """Whether to talk to Redis now. After an outage, first delete from Redis
        every key written meanwhile (or clear it), so no stale value is served."""
        outage = self._outage
        if outage.down_since is None:
            return True
        if time.monotonic() < outage.retry_at:
            return False
        with outage.lock:
            written, overflow = list(outage.written), outage.overflow
        try:
            if overflow:
                RedisCache.clear(self)
            elif written:
                RedisCache.delete_many(self, written)
            else:
                self._cache.get_client().ping()
        except _redis_errors() as error:
            self._went_down(error)
            return False
        with outage.lock:
            seconds = time.monotonic() - outage.down_since if outage.down_since else 0
            outage.down_since = None
            outage.written.clear()
            outage.overflow = False
        outage.fallback.clear()
        log.warning("cache available again", extra={"outage_seconds": round(seconds, 1)})
        return True

    def _remember(self, keys) -> None:
        outage = self._outage
        with outage.lock:
            if outage.overflow:
                return
            outage.written.update(keys)
            if len(outage.written) > MAX_TRACKED_KEYS:
                outage.overflow, outage.written = True, set()

    def _call(self, name, args, kwargs, *, keys=()):
        if self._redis_usable():
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except _redis_errors() as error:
                self._went_down(error)
        if keys:
            self._remember(keys)
        return getattr(self._outage.fallback, name)(*args, **kwargs)

    # ----- the cache API

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", (key, value, timeout, version), {}, keys=(key,))

    def get(self, key, default=None, version=None):
        return self._call("get", (key, default, version), {})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", (key, value, timeout, version), {}, keys=(key,))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", (key, timeout, version), {}, keys=(key,))

    def delete(self, key, version=None):
        return self._call("delete", (key, version), {}, keys=(key,))

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys, version), {})

    def has_key(self, key, version=None):
        return self._call("has_key", (key, version), {})

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta, version), {}, keys=(key,))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", (data, timeout, version), {}, keys=tuple(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", (keys, version), {}, keys=tuple(keys))

    def clear(self):
        if self._redis_usable():
            try:
                return RedisCache.clear(self)
            except _redis_errors() as error:
                self._went_down(error)
        with self._outage.lock:
            self._outage.overflow, self._outage.written = True, set()
        return self._outage.fallback.clear()


def cache_health() -> str:
    """'ok' (Redis answers), 'fallback' (Redis unreachable, per-process cache in
    use) or 'local' (no Redis configured: a per-process cache by design)."""
    from django.core.cache import cache

    health = getattr(cache, "health", None)
    return health() if health is not None else "local"
