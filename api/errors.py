"""One error format for every API error:

    {"error": {"status": 400, "code": "invalid", "message": "...", "details": {...}}}

``details`` holds field errors (or row errors for bulk writes) as DRF gives them.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(status_code: int, code: str, message: str, details=None) -> dict:
    body = {"status": status_code, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        # A rule the database keeps that validation did not catch first (two
        # writers at once): a conflict, not a server error.
        return Response(
            error_body(409, "conflict", _("The change conflicts with a rule the registry keeps.")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "invalid", _("The request is not valid."), response.data
    else:
        detail = getattr(exc, "detail", None)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        message, details = (str(detail) if detail is not None else str(exc)), None
    response.data = error_body(response.status_code, code, message, details)
    return response
