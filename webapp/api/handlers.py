"""Django's 404/500 handlers, answering in the API's error shape under /api/.

DRF's exception handler covers errors raised in API views; these cover the rest: URLs that
match no route and exceptions nothing handled.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "no such API URL"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "message": "an unexpected error happened; it was logged"},
            status=500,
        )
    return defaults.server_error(request)
