"""Project-level views: the health check and friendly error pages.

The error handlers never show exception text (it can name settings, hosts or
SQL) except for the few request errors whose message helps the user."""

import functools
import logging
import os
import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.cache import cache_health
from config.middleware import database_unavailable_response, is_database_outage

log = logging.getLogger("newmedia.errors")

_BAD_REQUEST_DETAIL = {
    RequestDataTooBig: gettext_lazy(
        "The data sent was too large. Split it into smaller pieces or upload it as a file."
    ),
    TooManyFieldsSent: gettext_lazy("The form sent too many fields."),
    TooManyFilesSent: gettext_lazy("The form sent too many files."),
}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Each dependency on its own: the database ("ok" / "unavailable"), the
    cache ("ok" / "fallback" while Redis is unreachable / "local" without Redis)
    and Chromium for image exports ("ok" / "missing"). 503 only when pages
    cannot be served, which is when the database is unavailable; a cache on its
    fallback or a missing Chromium makes the status "degraded" (200): pages are
    served, slower or without image downloads."""
    report = {"database": "ok", "cache": cache_health(), "chromium": _chromium_health()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.error("health check failed", extra={"error": str(exc)[:500]})
        return JsonResponse({"status": "error", **report, "database": "unavailable"}, status=503)
    degraded = report["cache"] == "fallback" or report["chromium"] != "ok"
    return JsonResponse({"status": "degraded" if degraded else "ok", **report, "engine": connection.vendor})


def _chromium_health() -> str:
    from dashboard.rendering import browser_path

    path = browser_path()
    return "ok" if os.path.isfile(path) and os.access(path, os.X_OK) else "missing"


@login_not_required
def bad_request(request, exception=None):
    detail = getattr(exception, "user_message", None) or next(
        (text for kind, text in _BAD_REQUEST_DETAIL.items() if isinstance(exception, kind)),
        gettext_lazy("The request could not be understood. Check the address or the form and try again."),
    )
    return render(
        request, "error.html", {"code": 400, "title": gettext_lazy("Bad request"), "detail": detail}, status=400
    )


def permission_denied(request, exception=None):
    return render(
        request,
        "error.html",
        {
            "code": 403,
            "title": gettext_lazy("Not allowed"),
            "detail": gettext_lazy("Your role does not allow this page."),
        },
        status=403,
    )


def page_not_found(request, exception=None):
    return render(
        request,
        "error.html",
        {"code": 404, "title": gettext_lazy("Not found"), "detail": gettext_lazy("There is nothing at this address.")},
        status=404,
    )


@login_not_required
def server_error(request):
    """500, or 503 when the cause is a lost database (raised outside a view, e.g.
    while loading the session's user). Rendered without the request, so no
    context processor can fail again here."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        return database_unavailable_response()
    try:
        return HttpResponseServerError(loader.render_to_string("500.html"))
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponseServerError(gettext("Server error. The error has been logged."), content_type="text/plain")


# --------------------------------------------------------------------------- password reset by email


class LoginView(auth_views.LoginView):
    """Django's login, offering the reset link only when email is configured."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_by_email": settings.PASSWORD_RESET_BY_EMAIL}


def _email_reset(view):
    """Django's password-reset view, open to signed-out users, and only when
    email is configured (settings.PASSWORD_RESET_BY_EMAIL): otherwise 404, and
    the login page does not offer it."""

    @login_not_required
    @functools.wraps(view)
    def reset_view(request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            raise Http404
        return view(request, *args, **kwargs)

    return reset_view


password_reset = _email_reset(auth_views.PasswordResetView.as_view())
password_reset_done = _email_reset(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = _email_reset(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = _email_reset(auth_views.PasswordResetCompleteView.as_view())
