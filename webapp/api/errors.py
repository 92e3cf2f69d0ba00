"""The API's exception handler: every error body is ``{"code": ..., "message": ..., ...}``.

Codes are stable (clients switch on them): domain errors keep their own code; DRF's errors get
``invalid_input`` (with ``fields``: field name -> list of messages), ``not_authenticated``,
``authentication_failed``, ``permission_denied``, ``not_found``, ``method_not_allowed``,
``parse_error``, ``unsupported_media_type``, ``not_acceptable`` or ``throttled``; a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets ``request_too_large`` (413). An ``Unavailable`` error (the
task queue cannot be reached: nothing was done) answers 503 with ``Retry-After``, as does a
database too busy to take the write within its timeout (``database_busy``: SQLite's lock).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from webapp.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable

_DOMAIN_STATUS: dict[type[DomainError], int] = {
    Invalid: status.HTTP_400_BAD_REQUEST,
    NotFound: status.HTTP_404_NOT_FOUND,
    Forbidden: status.HTTP_403_FORBIDDEN,
    Conflict: status.HTTP_409_CONFLICT,
    Unavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``. Returns None (a 500) only for unexpected exceptions."""
    if isinstance(exc, DomainError):
        retry_after = retry_after_s(exc)
        return Response(
            {"code": exc.code, "message": exc.message, **exc.details},
            status=_domain_status(exc),
            headers=None if retry_after is None else {"Retry-After": str(retry_after)},
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {
                "code": "request_too_large",
                "message": "the request body is larger than "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes (send images as multipart files)",
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        return Response(
            {"code": "database_busy", "message": "the database is busy; try again in a moment"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(Unavailable.retry_after_s)},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid_input",
            "message": "Some fields are invalid; see 'fields'.",
            "fields": _as_field_errors(exc.detail),
        }
    else:
        response.data = {"code": _code_of(exc), "message": str(exc.detail)}
    return response


def _domain_status(exc: DomainError) -> int:
    if retry_after_s(exc) is not None:
        return status.HTTP_503_SERVICE_UNAVAILABLE
    for cls in type(exc).__mro__:
        if cls in _DOMAIN_STATUS:
            return _DOMAIN_STATUS[cls]
    return status.HTTP_400_BAD_REQUEST


def retry_after_s(exc: DomainError) -> int | None:
    """The seconds after which a request that failed with ``exc`` may be sent again: set for
    ``Unavailable`` errors (503) only, None for every other error."""
    return exc.retry_after_s if isinstance(exc, Unavailable) else None


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _as_field_errors(detail: Any) -> dict[str, Any]:
    """Serializer errors keyed by field; errors not tied to a field go under ``non_field``."""
    if isinstance(detail, dict):
        return {
            ("non_field" if key == "non_field_errors" else key): value
            for key, value in detail.items()
        }
    return {"non_field": detail if isinstance(detail, list) else [detail]}


ERROR_BODY = inline_serializer(
    "Error",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
    },
)


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI entries for the error statuses an endpoint can answer, for ``extend_schema``."""
    return {code: OpenApiResponse(ERROR_BODY) for code in statuses}
