"""Caching for the dashboard: chart data per filter state, and HTTP validators
(ETag / Last-Modified) so a browser's reload of an unchanged page is a 304.

Both are keyed on ``registry.signals.data_version()``, which every registry
write bumps, so a write is visible on the very next request: nothing is ever
invalidated by hand and nothing waits for a timeout.

The cache is Django's default cache: process memory by default, Redis when
``REDIS_URL`` is set. With several app processes, set ``REDIS_URL``: a
per-process memory cache would keep a per-process data version too.
"""

import datetime
import hashlib
import logging
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


def cached_chart(slug: str, scope, context: dict, build: Callable[[], object]):
    """``build()``'s ChartData, from the cache when the same chart was built for
    the same filter state since the last registry write. A cache outage costs
    speed, never a page: errors are logged and the chart is built."""
    try:
        key = chart_cache_key(slug, scope, context, data_version())
        payload = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("chart cache unavailable", exc_info=True)
        return build()
    if payload is not None:
        return payload
    chart = build()
    try:
        cache.set(key, chart, timeout=settings.CACHES["default"].get("TIMEOUT", 3600))
    except Exception:  # noqa: BLE001 - unpicklable extras or a cache outage
        log.warning("chart not cached", extra={"slug": slug}, exc_info=True)
    return chart


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
        response = self.get_response(request)
        validators = getattr(request, "_dashboard_validators", None)
        if validators is None or response.status_code != 200 or response.streaming:
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
        identity = "\n".join(
            (version, str(request.user.pk), session_key, request.get_full_path(), timezone.localdate().isoformat())
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
