"""``GET /v1/models`` and ``POST /v1/chat/completions``: any OpenAI client can call a graph.

Authentication is one of the user's API tokens (``webapp.accounts.tokens``) as a bearer token
(``Authorization: Bearer <token>``, the OpenAI clients' ``api_key``); sessions are not accepted,
so these views need no CSRF token. The views are asynchronous: a completion waits on Redis
without holding a thread. Errors are in OpenAI's format (``services.OpenAIError``); when the
task queue cannot be reached a completion answers 503 with ``Retry-After``
(``code: queue_unavailable``).
"""

from __future__ import annotations

from typing import Any

import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from webapp.accounts.tokens import key_from_authorization, user_for_key
from webapp.api import parsers
from webapp.openai_api import services
from webapp.openai_api.selectors import graph_models_of
from webapp.openai_api.services import OpenAIError


def _user_of(request: HttpRequest) -> Any:
    key = key_from_authorization(request.headers.get("Authorization", ""))
    user = None if key is None else user_for_key(key)
    if user is None:
        raise OpenAIError(
            401,
            "invalid or missing API key: send 'Authorization: Bearer <your Octograph API token>'",
            code="invalid_api_key",
        )
    return user


def _error(error: OpenAIError) -> JsonResponse:
    return JsonResponse(error.body, status=error.status, headers=error.headers)


@csrf_exempt
@require_GET
async def models(request: HttpRequest) -> HttpResponse:
    """The caller's graphs (those with a saved version) as OpenAI models."""
    try:
        user = await sync_to_async(_user_of)(request)
    except OpenAIError as error:
        return _error(error)
    named = await sync_to_async(graph_models_of)(user)
    data = [
        {
            "id": name,
            "object": "model",
            "created": int(graph.created_at.timestamp()),
            "owned_by": graph.team.name,
        }
        for name, graph in named
    ]
    return JsonResponse({"object": "list", "data": data})


@csrf_exempt
@require_POST
async def chat_completions(request: HttpRequest) -> HttpResponse:
    """Run the graph named ``model`` on ``messages``; ``stream: true`` answers with SSE."""
    try:
        user = await sync_to_async(_user_of)(request)
        try:
            body = parsers.loads(request.body.decode())
        except parsers.JsonTooDeep as error:
            raise OpenAIError(400, str(error.detail), code="json_too_deep") from None
        except RequestDataTooBig:
            raise OpenAIError(
                413,
                f"the request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
                code="request_too_large",
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise OpenAIError(400, "the request body is not valid JSON") from None
        completion = services.parse_request(body)
        started = await sync_to_async(services.completion_start)(user=user, request=completion)
    except OpenAIError as error:
        return _error(error)
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    if completion.stream:
        response = StreamingHttpResponse(
            _closing(
                services.completion_chunks(started, client, include_usage=completion.include_usage),
                client,
            ),
            content_type="text/event-stream",
        )
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # proxies must not hold the events back
        response["X-Octograph-Run"] = str(started.run.pk)
        return response
    try:
        result = await services.completion_result(started, client)
    except OpenAIError as error:
        return _error(error)
    finally:
        await client.aclose()
    return JsonResponse(result, headers={"X-Octograph-Run": str(started.run.pk)})


async def _closing(chunks: Any, client: Any) -> Any:
    try:
        async for chunk in chunks:
            yield chunk
    finally:
        await client.aclose()
