"""``/ws/trainings/<id>/``: a training's state, now and at every change, until it finishes.

Protocol: the server sends the training as ``GET /api/trainings/{id}/`` returns it
(``TrainingOutput``: status, progress, error, adapter, ...) on connecting and again whenever it
changes (each frame has a larger ``revision``), then closes with code 1000 after sending a
finished one (completed, failed or cancelled). Every frame is the whole state, so a client that
reconnects loses nothing. Nothing the client sends is read.

Refusals before the handshake (``webapp.ws``): 4401 unauthenticated, 4404 a missing training or
another team's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from webapp import ws
from webapp.training import selectors
from webapp.training.notify import group_name
from webapp.training.serializers import TrainingOutput


def _snapshot(training_id: int) -> dict[str, Any]:
    return dict(TrainingOutput(selectors.training_by_id(training_id)).data)


class TrainingConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """Joins ``training.<id>`` first, then sends the stored state; each notice (or, in case one
    was dropped, every ``CATCH_UP_S`` seconds) it reads the row again and sends it if its
    revision is newer than the last one sent. Reads take turns through ``_turn``."""

    CATCH_UP_S = 5.0

    training_id = 0
    last_revision = -1
    group = ""
    done = False
    _ticker: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = await ws.connecting_user(self)
        if user is None:
            return
        training = await ws.find_or_refuse(
            self,
            selectors.training_for,
            user=user,
            training_id=int(self.scope["url_route"]["kwargs"]["training_id"]),
        )
        if training is None:
            return
        self.training_id = training.pk
        self.group = group_name(training.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self._turn = asyncio.Lock()
        await self.accept()
        await self._send_current()
        if not self.done:
            self._ticker = asyncio.create_task(self._catch_up())

    async def disconnect(self, code: int) -> None:
        if self._ticker is not None and self._ticker is not asyncio.current_task():
            self._ticker.cancel()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Clients have nothing to say: frames they send are ignored."""

    async def training_changed(self, message: dict[str, Any]) -> None:
        """A notice from ``webapp.training.notify``: revision ``message["revision"]`` is stored."""
        if message["revision"] > self.last_revision:
            await self._send_current()

    async def _catch_up(self) -> None:
        while not self.done:
            await asyncio.sleep(self.CATCH_UP_S)
            await self._send_current()

    async def _send_current(self) -> None:
        async with self._turn:
            if self.done:
                return
            state = await database_sync_to_async(_snapshot)(self.training_id)
            if state["revision"] <= self.last_revision:
                return
            await self.send_json(state)
            self.last_revision = state["revision"]
            if state["status"] in ("completed", "failed", "cancelled"):
                self.done = True
                await self.close()
