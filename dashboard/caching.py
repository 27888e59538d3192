"""Caching for the dashboard: chart data per filter state, made files (chart
images, briefing packs), and HTTP validators (ETag / Last-Modified) so a
browser's reload of an unchanged page is a 304.

All are keyed on ``registry.signals.data_version()``, which every registry
write bumps, so a write is visible on the very next request: nothing is ever
invalidated by hand and nothing waits for a timeout.

The cache is Django's default cache: process memory by default, Redis when
``REDIS_URL`` is set. With several app processes, set ``REDIS_URL``: a
per-process memory cache would keep a per-process data version too. A missing
entry is computed by one request while others wait for it (``single_flight``),
so a write costs one rebuild of each chart, not one per request in flight.
"""

import datetime
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from registry.roles import BROWSE_PERMISSION
from registry.signals import data_version

log = logging.getLogger("newmedia.cache")

CHART_KEY_PREFIX = "chart:v2"
# Context values of these types are part of a chart's identity (declared
# parameters such as ``company=12``). Anything else passed to ``build_chart``
# (e.g. rows the page already fetched, to save a query) must be derived from
# the scope alone, so it does not change the result and is left out of the key.
_KEY_TYPES = (str, int, float, bool, datetime.date, type(None))


# --------------------------------------------------------------------------- chart data


def scope_key(scope) -> tuple:
    """Everything in a ``Scope`` that changes what a chart shows."""
    return (
        scope.cohort.pk if scope.cohort is not None else None,
        scope.as_of.isoformat(),
        tuple(sorted(scope.ownership)),
        tuple(sorted(scope.sectors)),
        tuple(sorted(scope.provinces)),
        tuple(p.pk for p in scope.platforms),
        scope.is_default_as_of,
    )


def _key_part(value):
    if isinstance(value, Model):
        return f"{value._meta.label}:{value.pk}"
    if isinstance(value, _KEY_TYPES):
        return repr(value)
    return None


def chart_cache_key(slug: str, scope, context: dict, version: str) -> str:
    """Simple values and model instances (by primary key) in ``context`` are part
    of the key; rows passed in to save a query are not (see ``_KEY_TYPES``)."""
    parts = ((name, _key_part(value)) for name, value in context.items())
    params = tuple(sorted((name, part) for name, part in parts if part is not None))
    # Titles, notes and column headers are translated when a chart is built.
    identity = repr((slug, scope_key(scope), params, get_language(), version))
    return f"{CHART_KEY_PREFIX}:{slug}:{hashlib.sha256(identity.encode()).hexdigest()}"


# --------------------------------------------------------------------------- single flight

# A miss is computed by one request; others asking for the same key meanwhile
# wait for its result instead of computing it too (after a write, every
# request in flight misses at once). The lock is an entry added with
# ``cache.add`` (Redis: SET NX with an expiry; process memory: under the
# cache's own lock), so it works across workers when Redis is the cache.
LOCK_SUFFIX = ":building"
LOCK_TIMEOUT = 120  # seconds: a computation that dies leaves a lock that expires
POLL_FIRST, POLL_MAX = 0.005, 0.1  # seconds between looks at the cache while waiting


def _timeout() -> int:
    return settings.CACHES["default"].get("TIMEOUT", 3600)


class SingleFlightStats:
    """How often this process computed, waited for, or found a value (for
    tests and the benchmark)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.computed = self.waited = self.previous = self.hits = self.gave_up = 0

    def count(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)


stats = SingleFlightStats()

# Set when this thread's request was answered with a previous version of
# something (see ``single_flight``); the validators middleware then gives the
# response no ETag, so the browser cannot keep the older page as current.
_served_previous = threading.local()


def served_previous() -> bool:
    return getattr(_served_previous, "value", False)


def reset_served_previous() -> None:
    _served_previous.value = False


def single_flight(
    key: str, compute: Callable[[], object], *, wait: float | None = None, previous_key: str | None = None
):
    """The value cached at ``key``, else ``compute()``'s result, cached.

    Only one caller computes a missing key at a time. The others take the
    previous version from ``previous_key`` when one is given and cached (the
    last value computed for the same thing, under any data version), so a write
    does not make every request in flight wait for the rebuild; otherwise they
    poll the cache until the value appears, and compute it themselves only if
    the computing caller failed (its lock is gone and still no value) or after
    ``wait`` seconds (default: the lock timeout). A cache outage costs speed,
    never a page: errors are logged and the value is computed. Exceptions from
    ``compute`` reach the caller and nothing is cached."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("cache unavailable", exc_info=True)
        return compute()
    if value is not None:
        stats.count("hits")
        return value
    lock_key, token = key + LOCK_SUFFIX, uuid.uuid4().hex
    deadline = time.monotonic() + (LOCK_TIMEOUT if wait is None else wait)
    pause = POLL_FIRST
    while True:
        try:
            owner = cache.add(lock_key, token, timeout=LOCK_TIMEOUT)
        except Exception:  # noqa: BLE001 - any cache backend failure
            log.warning("cache unavailable", exc_info=True)
            return compute()
        if owner:
            return _compute_and_store(key, lock_key, token, compute, previous_key)
        if previous_key is not None and pause == POLL_FIRST:
            previous = cache.get(previous_key)
            if previous is not None:
                stats.count("previous")
                _served_previous.value = True
                return previous
        time.sleep(pause)
        pause = min(pause * 2, POLL_MAX)
        value = cache.get(key)
        if value is not None:
            stats.count("waited")
            return value
        if time.monotonic() > deadline:
            stats.count("gave_up")
            log.warning("gave up waiting for another request to compute a cache entry", extra={"key": key})
            return compute()


def _compute_and_store(
    key: str, lock_key: str, token: str, compute: Callable[[], object], previous_key: str | None = None
):
    try:
        # Another caller may have stored it between our miss and our lock.
        value = cache.get(key)
        if value is not None:
            stats.count("waited")
            return value
        value = compute()
        stats.count("computed")
        try:
            cache.set(key, value, timeout=_timeout())
            if previous_key is not None:
                cache.set(previous_key, value, timeout=_timeout())
        except Exception:  # noqa: BLE001 - unpicklable values or a cache outage
            log.warning("value not cached", extra={"key": key}, exc_info=True)
        return value
    finally:
        try:
            if cache.get(lock_key) == token:
                cache.delete(lock_key)
        except Exception:  # noqa: BLE001, S110 - the lock expires by itself
            pass


def cached_chart(slug: str, scope, context: dict, build: Callable[[], object]):
    """``build()``'s ChartData, from the cache when the same chart was built for
    the same filter state and language since the last registry write; computed
    by one request at a time (``single_flight``). While one request rebuilds a
    chart after a write, others asking for it get the chart as it was before
    the write (answered without an ETag), not a wait; the request that
    rebuilds, and every request after it, gets the new one."""
    try:
        key = chart_cache_key(slug, scope, context, data_version())
        previous_key = chart_cache_key(slug, scope, context, "previous")
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("chart cache unavailable", exc_info=True)
        return build()
    return single_flight(key, build, previous_key=previous_key)


# --------------------------------------------------------------------------- files


RESULT_KEY_PREFIX = "result:v1"


def result_cache_key(kind: str, *parts, per_language: bool = True) -> str:
    """A key for a computed result (a chart image, a briefing pack, facts about a
    scope): ``parts`` say what it shows and how; the data version (and the
    language, for anything with words in it) are added here, so a registry
    write or another language is another result."""
    language = get_language() if per_language else None
    identity = repr((kind, parts, language, data_version()))
    return f"{RESULT_KEY_PREFIX}:{kind}:{hashlib.sha256(identity.encode()).hexdigest()}"


def peek_result(kind: str, parts: tuple, *, per_language: bool = True):
    """The cached result, or None (nothing is computed)."""
    try:
        return cache.get(result_cache_key(kind, *parts, per_language=per_language))
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("result cache unavailable", exc_info=True)
        return None


def store_result(kind: str, parts: tuple, value, *, per_language: bool = True) -> None:
    """Cache a result computed along with something else (one query, two answers)."""
    try:
        cache.set(result_cache_key(kind, *parts, per_language=per_language), value, timeout=_timeout())
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("result not cached", extra={"kind": kind}, exc_info=True)


def cached_result(kind: str, parts: tuple, compute: Callable[[], object], *, per_language: bool = True):
    """``compute()``'s result (e.g. a file's bytes and name), computed once per
    ``parts``, language and data version, by one request at a time."""
    try:
        key = result_cache_key(kind, *parts, per_language=per_language)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("result cache unavailable", exc_info=True)
        return compute()
    return single_flight(key, compute)


# --------------------------------------------------------------------------- HTTP validators


def version_timestamp(version: str) -> float:
    """Seconds since the epoch at which ``version`` was made (it is hex nanoseconds)."""
    try:
        return int(version, 16) / 1e9
    except ValueError:
        return 0.0


def _start_of_today() -> float:
    today = timezone.localdate()
    midnight = datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return midnight.timestamp()


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def _not_modified_since(header: str, last_modified: float) -> bool:
    try:
        since = parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError):
        return False
    return int(last_modified) <= since


class ConditionalDashboardMiddleware:
    """ETag and Last-Modified on the dashboard's GET pages, and a 304 before the
    view runs when the browser's copy is current.

    The ETag covers the data version, the user, the session (a new login rotates
    the CSRF token embedded in forms), the full path with its query string and
    today's date (pages default to "as of today"). Last-Modified is the later of
    the data version's time and the start of today. Responses are
    ``private, no-cache`` with ``Vary: Cookie``: browsers keep them but ask first.

    A 304 costs the session and user lookups and the data version read, no page
    queries. Pages with pending messages are always rendered, and so are views
    whose content is not a function of the registry alone (``excluded_url_names``).
    """

    namespaces = ("dashboard",)
    # Views whose pages show more than registry data (a user's briefings change
    # without bumping the registry's data version): always rendered.
    excluded_url_names = ("briefing",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset_served_previous()
        response = self.get_response(request)
        validators = getattr(request, "_dashboard_validators", None)
        if validators is None or response.status_code != 200 or response.streaming:
            return response
        if served_previous():
            # A chart came from before the last write: the next request must not
            # be told this page is current.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
            return response
        etag, last_modified = validators
        if not response.has_header("ETag"):
            response["ETag"] = etag
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.namespace not in self.namespaces:
            return None
        if (match.url_name or "").startswith(self.excluded_url_names):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            version = data_version()
        except Exception:  # noqa: BLE001 - without a version there is no validator
            log.warning("data version unavailable", exc_info=True)
            return None
        etag, last_modified = self.validators(request, version)
        request._dashboard_validators = (etag, last_modified)
        if not self._client_is_current(request, etag, last_modified):
            return None
        if len(messages.get_messages(request)) or not user.has_perm(BROWSE_PERMISSION):
            return None  # messages must be shown; a lost role gets the view's 403
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def validators(request, version: str) -> tuple[str, float]:
        session_key = getattr(getattr(request, "session", None), "session_key", None) or ""
        # The language too: the same address in another language is another page.
        identity = "\n".join(
            (
                version,
                str(request.user.pk),
                session_key,
                request.get_full_path(),
                timezone.localdate().isoformat(),
                get_language() or "",
            )
        )
        etag = '"' + hashlib.sha256(identity.encode()).hexdigest()[:32] + '"'
        last_modified = max(version_timestamp(version), _start_of_today())
        return etag, last_modified

    @staticmethod
    def _client_is_current(request, etag: str, last_modified: float) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            return _etag_matches(if_none_match, etag)
        if_modified_since = request.headers.get("If-Modified-Since")
        return bool(if_modified_since) and _not_modified_since(if_modified_since, last_modified)
