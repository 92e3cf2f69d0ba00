"""The OpenAI-compatible chat completions API on top of runs: requests in, completions out.

A completion is a run of the graph's latest version on the conversation rendered by
``webapp.chat.transcript``, with the images of the user messages' ``image_url`` parts (data URLs
only: images are sent, never fetched; validated as any run's, ``webapp.runs.uploads``).
Sampling options of the request (``temperature``, ``max_tokens``, ...) are accepted and ignored:
each model node of the graph has its own. The answer is followed
on the run's Redis stream (``workers.event_stream.follow``), so waiting blocks no thread:

- ``completion_result``: the ``chat.completion`` object once the run has completed, with
  ``usage`` summed over every node of the run;
- ``completion_chunks``: ``chat.completion.chunk`` server-sent events. Their text is the token
  deltas of the node feeding the output node (the first such node to produce one, when several
  do); when the run completes, whatever of the final output was not streamed that way follows in
  one chunk (all of it for graphs whose output node is fed by no streaming node). Then
  ``data: [DONE]``.

Errors are ``OpenAIError`` values in OpenAI's format: ``{"error": {"message", "type", "param",
"code"}}``.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from graphs import load_spec
from graphs.events import Event, EventType
from webapp.chat import transcript
from webapp.errors import DomainError, NotFound, Unavailable
from webapp.openai_api.selectors import graph_for_model
from webapp.runs import services as runs
from webapp.runs import uploads
from webapp.runs.models import Run
from webapp.runs.uploads import ImageUpload
from workers.event_stream import follow

COMPLETION_TIMEOUT_S = 600.0
"""How long a request waits for its run (the run itself goes on after a timeout)."""
ROLES = frozenset({"system", "developer", "user", "assistant"})


class OpenAIError(Exception):
    """An error answered in OpenAI's format with HTTP ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.body = {"error": {"message": message, "type": kind, "param": param, "code": code}}


@dataclass(frozen=True)
class CompletionRequest:
    model: str
    messages: list[dict[str, str]]
    stream: bool = False
    include_usage: bool = False
    images: list[ImageUpload] = field(default_factory=list)


@dataclass(frozen=True)
class Started:
    """A completion's run, and the nodes whose deltas make its streamed text."""

    run: Run
    model: str
    feeders: frozenset[str] = field(default_factory=frozenset)
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def id(self) -> str:
        return f"chatcmpl-{self.run.pk}"


def parse_request(body: object) -> CompletionRequest:
    """Validate a decoded request body; ``OpenAIError`` (400) naming the bad ``param``."""
    if not isinstance(body, Mapping):
        raise OpenAIError(400, "the request body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise OpenAIError(400, "'model' must be the name of one of your graphs", param="model")
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise OpenAIError(400, "'messages' must be a non-empty list", param="messages")
    images: list[ImageUpload] = []
    messages = [_message(item, index, images) for index, item in enumerate(raw)]
    if messages[-1]["role"] != "user":
        raise OpenAIError(400, "the last message must be the user's", param="messages")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise OpenAIError(400, "'stream' must be a boolean", param="stream")
    options = body.get("stream_options") or {}
    include_usage = isinstance(options, Mapping) and options.get("include_usage") is True
    return CompletionRequest(model, messages, stream, include_usage, images)


def _message(item: object, index: int, images: list[ImageUpload]) -> dict[str, str]:
    """The message as ``{"role", "content"}`` text; its ``image_url`` parts go to ``images``."""
    param = f"messages[{index}]"
    if not isinstance(item, Mapping) or item.get("role") not in ROLES:
        raise OpenAIError(
            400, f"each message needs a role among {', '.join(sorted(ROLES))}", param=param
        )
    content = item.get("content")
    if isinstance(content, list):  # content parts: text, and images in user messages
        texts = []
        for number, part in enumerate(content):
            part_param = f"{param}.content[{number}]"
            kind = part.get("type") if isinstance(part, Mapping) else None
            if kind == "text":
                texts.append(str(part.get("text", "")))
            elif kind == "image_url" and item["role"] == "user":
                images.append(_image(part, len(images) + 1, part_param))
            else:
                raise OpenAIError(
                    400,
                    "content parts must be text, or image_url in user messages",
                    param=part_param,
                )
        content = "".join(texts)
    if not isinstance(content, str):
        raise OpenAIError(400, "'content' must be a string or text parts", param=param)
    if "\x00" in content:
        raise OpenAIError(400, "'content' may not contain NUL characters", param=param)
    return {"role": str(item["role"]), "content": content}


def _image(part: Mapping[str, Any], number: int, param: str) -> ImageUpload:
    """An ``image_url`` part's image: ``{"image_url": {"url": "data:..."}}`` (or the URL as a
    string). Anything but a base64 data URL is refused, naming the part."""
    source = part.get("image_url")
    url = source.get("url") if isinstance(source, Mapping) else source
    if not isinstance(url, str):
        raise OpenAIError(400, "an image_url part needs image_url.url", param=param)
    try:
        return uploads.from_data_url(url, number)
    except DomainError as error:
        raise OpenAIError(400, error.message, code=error.code, param=param) from None


def completion_start(*, user: AbstractBaseUser, request: CompletionRequest) -> Started:
    """Start the run of the graph named ``request.model`` (raises ``OpenAIError``)."""
    try:
        graph = graph_for_model(user=user, model=request.model)
        run = runs.run_create(
            graph=graph,
            actor=user,
            text=transcript.render(request.messages),
            images=runs.images_check(request.images),
        )
    except Unavailable as error:  # nothing was queued: OpenAI clients retry a 503
        raise OpenAIError(
            503,
            error.message,
            kind="server_error",
            code=error.code,
            headers={"Retry-After": str(error.retry_after_s)},
        ) from None
    except DomainError as error:
        if isinstance(error, NotFound):
            raise OpenAIError(404, error.message, code="model_not_found", param="model") from None
        param = "messages" if error.details.get("field") == "images" else None
        raise OpenAIError(400, error.message, code=error.code, param=param) from None
    spec = load_spec(run.version.spec)
    outputs = {node.id for node in spec.nodes_of_kind("output")}
    feeders = frozenset(edge.source for edge in spec.edges if edge.target in outputs)
    return Started(run=run, model=request.model, feeders=feeders)


async def completion_result(started: Started, client: Any) -> dict[str, Any]:
    """The ``chat.completion`` once the run has completed (``OpenAIError`` otherwise)."""
    async for event in _events(started, client):
        if event.is_terminal:
            _raise_unless_completed(event)
            return {
                "id": started.id,
                "object": "chat.completion",
                "created": started.created,
                "model": started.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": event.data["output"]},
                        "finish_reason": "stop",
                    }
                ],
                "usage": _usage(event),
                "octograph": {"run": started.run.pk},
            }
    raise AssertionError("unreachable: the stream ends with a terminal event")


async def completion_chunks(
    started: Started, client: Any, *, include_usage: bool = False
) -> AsyncIterator[str]:
    """Server-sent events of the completion, ``data: [DONE]`` last. A failure after the first
    chunk is sent as one ``data: {"error": ...}`` event before ``[DONE]``."""
    yield _sse(_chunk(started, {"role": "assistant", "content": ""}))
    streamed, source = "", None
    try:
        async for event in _events(started, client):
            if event.type is EventType.NODE_DELTA and event.node in started.feeders:
                source = source or event.node
                if event.node == source and event.data.get("text"):
                    streamed += event.data["text"]
                    yield _sse(_chunk(started, {"content": event.data["text"]}))
            elif event.is_terminal:
                _raise_unless_completed(event)
                output = str(event.data.get("output", ""))
                rest = output[len(streamed) :] if output.startswith(streamed) else ""
                if rest:
                    yield _sse(_chunk(started, {"content": rest}))
                yield _sse(_chunk(started, {}, finish_reason="stop"))
                if include_usage:
                    yield _sse({**_chunk(started, None), "usage": _usage(event)})
    except OpenAIError as error:
        yield _sse(error.body)
    yield "data: [DONE]\n\n"


async def _events(started: Started, client: Any) -> AsyncIterator[Event]:
    try:
        async for event in follow(client, str(started.run.pk), timeout_s=COMPLETION_TIMEOUT_S):
            yield event
    except TimeoutError:
        raise OpenAIError(
            504,
            f"the graph did not answer within {COMPLETION_TIMEOUT_S:.0f} s "
            f"(run {started.run.pk} goes on)",
            kind="server_error",
            code="timeout",
        ) from None


def _raise_unless_completed(event: Event) -> None:
    if event.type is EventType.RUN_COMPLETED:
        return
    if event.type is EventType.RUN_CANCELLED:
        reason = event.data.get("reason") or "cancelled"
        raise OpenAIError(
            500, f"the graph run was cancelled: {reason}", kind="server_error", code="run_cancelled"
        )
    raise OpenAIError(
        500,
        f"the graph run failed: {event.data.get('error')}",
        kind="server_error",
        code="run_failed",
    )


def _usage(event: Event) -> dict[str, int]:
    prompt, completion = int(event.data.get("tokens_in", 0)), int(event.data.get("tokens_out", 0))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _chunk(
    started: Started, delta: dict[str, str] | None, *, finish_reason: str | None = None
) -> dict[str, Any]:
    choices = (
        [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
    )
    return {
        "id": started.id,
        "object": "chat.completion.chunk",
        "created": started.created,
        "model": started.model,
        "choices": choices,
    }


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data)}\n\n"
