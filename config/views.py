"""Project-level views: the health check and friendly error pages."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger("newmedia.errors")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Reports whether the database answers; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.error("health check failed", extra={"error": str(exc)[:500]})
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "engine": connection.vendor})


@login_not_required
def bad_request(request, exception=None):
    return render(request, "error.html", {"code": 400, "title": "Bad request", "detail": exception}, status=400)


def permission_denied(request, exception=None):
    return render(request, "error.html", {"code": 403, "title": "Not allowed",
                                          "detail": "Your role does not allow this page."}, status=403)


def page_not_found(request, exception=None):
    return render(request, "error.html", {"code": 404, "title": "Not found",
                                          "detail": "There is nothing at this address."}, status=404)


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)
