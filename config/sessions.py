"""Sessions in the database, read through the cache while the cache is Redis.

While Redis is unreachable (``config.cache.FallbackRedisCache.degraded``) the
session is read from and written to the database only: a per-process cached copy
could outlive a logout made in another process. Each write still deletes the
cached copy, which the fallback cache remembers and deletes from Redis when it
returns, so an ended session never comes back from Redis."""

from django.contrib.sessions.backends import cached_db, db


class SessionStore(cached_db.SessionStore):
    def _degraded(self) -> bool:
        return getattr(self._cache, "degraded", False)

    def load(self):
        if self._degraded():
            return db.SessionStore.load(self)
        return super().load()

    def save(self, must_create=False):
        if self._degraded():
            db.SessionStore.save(self, must_create=must_create)
            self._cache.delete(self.cache_key)
            return
        super().save(must_create=must_create)
