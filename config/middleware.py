"""Cross-cutting request handling: security headers, request logs, and a
friendly answer when the database is unreachable."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.http import HttpResponse

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


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": user.get_username() if user is not None and user.is_authenticated else None,
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a 503 page instead of a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _looks_like_outage(exception):
            return None
        error_log.error(
            "database unavailable",
            extra={"path": request.path, "method": request.method, "error": str(exception)[:500]},
        )
        body = render_to_string("503.html", {"reason": "database"})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response


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
