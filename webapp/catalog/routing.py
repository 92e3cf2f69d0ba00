"""Where a node's model is served: the queue its task goes to, and, for a team's endpoint, the
client that the worker calls it with.

Built-in and file-registered models are served by model hosts that consume ``model.<key>``
(``workers.celery_app.node_queue``). A team's OpenAI-compatible endpoint is registered at run
time, so no model host was started for it: its nodes go to ``ENDPOINTS_QUEUE``, which every runs
worker consumes (``webapp.celery_app``); the OpenAI backend is a network client that needs no
local weights, and the runs worker can read the endpoint (with its API key) from the database
when the node executes, so the key never travels in a broker message.
"""

from __future__ import annotations

from typing import Any

from graphs.runtime import BackendError, ModelClient
from webapp.catalog import selectors
from webapp.catalog.models import Endpoint
from workers.backends.openai_backend import OpenAIBackend
from workers.catalog import Catalog, ModelEntry
from workers.celery_app import ENDPOINTS_QUEUE, node_queue


def node_route(*, team_id: int, model: str) -> tuple[str, dict[str, Any] | None]:
    """The queue of a node of a graph of team ``team_id`` that calls ``model``, and the
    endpoint reference its task carries (None for catalog models). An endpoint never takes a
    catalog key (``endpoint_create``), so one indexed lookup tells them apart."""
    if Endpoint.objects.filter(team_id=team_id, key=model).exists():
        return ENDPOINTS_QUEUE, {"team": team_id, "key": model}
    return node_queue(model), None


def endpoint_client(ref: dict[str, Any]) -> ModelClient:
    """The client of the endpoint ``ref`` names (``node_route``), read now: a changed URL or key
    applies to the next node. Raises ``BackendError`` when it was removed meanwhile. With
    ``OCTOGRAPH_FAKE_BACKEND`` set (tests) the worker's fake backend answers instead."""
    from workers import settings, tasks

    endpoint = Endpoint.objects.filter(team_id=ref["team"], key=ref["key"]).first()
    if endpoint is None:
        raise BackendError(f"the endpoint {ref['key']!r} was removed from its team")
    if settings.fake_backend() is not None:
        return tasks.model_client()
    return _EndpointBackend(endpoint.model_entry(), selectors.endpoint_api_key(endpoint))


class _EndpointBackend(OpenAIBackend):
    """The OpenAI backend for one team endpoint, its API key given (not read from the
    environment as catalog entries' are)."""

    def __init__(self, entry: ModelEntry, api_key: str | None) -> None:
        super().__init__(Catalog([entry]))
        self._api_key = api_key

    def _client(self, entry: ModelEntry) -> Any:
        client = super()._client(entry)
        if self._api_key:
            client.headers["Authorization"] = f"Bearer {self._api_key}"
        return client
