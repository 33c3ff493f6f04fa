"""One error body everywhere in the API: {"detail": str, "code": str, "errors"?: {field: [msg]}}."""

from axes.exceptions import AxesBackendPermissionDenied
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mediaportal.lockout import MESSAGE


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            msg = _first_message(value)
            return msg if field in ("non_field_errors", "detail") else f"{field}: {msg}"
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def exception_handler(exc, context):
    # Access helpers raise Django's Http404/PermissionDenied; give them DRF's codes, not "error".
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied) and not isinstance(exc, AxesBackendPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, AxesBackendPermissionDenied):
        return Response(
            {"detail": MESSAGE, "code": "locked_out"},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if isinstance(data, dict) and set(data) == {"detail"}:
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        response.data = {"detail": str(data["detail"]), "code": str(code)}
    else:
        response.data = {"detail": _first_message(data), "code": "invalid", "errors": data}
    return response
