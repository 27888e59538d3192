"""Cross-cutting request handling: security headers, request logs, and a
friendly answer when the database is unreachable."""

import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _

from registry.validators import has_control_characters

request_log = logging.getLogger("newmedia.request")
error_log = logging.getLogger("newmedia.errors")


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header from settings to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ControlCharactersError(BadRequest):
    """A parameter holds NUL or another control character."""

    user_message = _("The address or the form contains control characters (such as NUL). Remove them and try again.")


class RejectControlCharactersMiddleware:
    """Refuses NUL and other control characters in any query-string parameter or
    form field (names and values) with a 400, before any view or database sees
    them. One place for every page: PostgreSQL refuses NUL in text, and no
    search, filter or name needs a control character.

    Multipart bodies (file uploads) are not parsed here, so upload limits apply
    before their bodies are read; their text fields are form fields, which
    refuse NUL themselves (``registry.validators.validate_no_control_characters``
    and Django's ``CharField``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control(request.GET) or (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and _has_control(request.POST)
        ):
            raise ControlCharactersError("control characters in the request's parameters")
        return self.get_response(request)


def _has_control(query) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(value) for value in values)
        for key, values in query.lists()
    )


class UploadSizeLimitMiddleware:
    """Refuses a file upload larger than IMPORT_MAX_UPLOAD_BYTES with a 413
    before any of its body is read (CSRF checking would otherwise parse the
    whole multipart body into a temporary file first). The declared
    Content-Length is what the server will read at most, so it cannot lie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.IMPORT_MAX_UPLOAD_BYTES
            if length > limit:
                return upload_too_large_response(request, limit)
        return self.get_response(request)


def upload_too_large_response(request, limit: int) -> HttpResponse:
    detail = _(
        "The file is larger than the import limit of %(limit)s MB. Split it into smaller files and import each one."
    ) % {"limit": f"{limit / 1024 / 1024:,.0f}"}
    body = render_to_string(
        "error.html", {"code": 413, "title": _("File too large"), "detail": detail}, request=request
    )
    return HttpResponse(body, status=413)


def client_ip(request) -> str | None:
    """The client's address. Behind the one trusted reverse proxy (BEHIND_PROXY)
    that is the last address in X-Forwarded-For, the one the proxy itself
    appended; earlier entries come from the client and can be forged."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1][:45]
    return request.META.get("REMOTE_ADDR")


def request_username(request) -> str | None:
    """The signed-in user's name if the request already knows it. Never loads the
    user just for a log line, so logging costs no query and cannot fail when the
    database is down."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    try:
        return user.get_username() if user.is_authenticated else None
    except DatabaseError:
        return None


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": request_username(request),
                "ip": client_ip(request),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view into a 503 page instead of a
    traceback. Failures outside views (e.g. loading the session's user) reach
    ``config.views.server_error``, which gives the same answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        error_log.error(
            "database unavailable",
            extra={
                "path": request.path,
                "method": request.method,
                "user": request_username(request),
                "error": str(exception)[:500],
            },
        )
        return database_unavailable_response()


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: no context processor may touch the database.
    response = HttpResponse(render_to_string("503.html", {"reason": "database"}), status=503)
    response["Retry-After"] = "30"
    return response


def is_database_outage(exception: BaseException | None) -> bool:
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    return _looks_like_outage(exception)


def _looks_like_outage(exception: DatabaseError) -> bool:
    text = str(exception).lower()
    markers = (
        "connection",
        "could not connect",
        "server closed",
        "terminating",
        "timeout",
        "unable to open database",
        "database is locked",
        "the database system is",
    )
    return isinstance(exception, InterfaceError) or any(marker in text for marker in markers)
