"""Objects followed over a WebSocket by revision: trainings, experiments.

Such an object's row has a ``revision`` that its service bumps with every change, a ``status``
that ends in ``completed``, ``failed`` or ``cancelled``, and one output shape that the REST API
returns and the socket sends. The service calls ``notify_after_commit`` after each change; a
``RevisionConsumer`` subclass follows the object.

Protocol of every such socket: the server sends the object's whole state on connecting and again
whenever it changes (each frame has a larger ``revision``), then closes with code 1000 after
sending a finished one. Every frame is the whole state, so a client that reconnects loses
nothing. Nothing the client sends is read, and no frame can break the socket
(``webapp.ws.JsonConsumer``). Refusals accept the handshake, then close (``webapp.ws.refuse``):
4401 unauthenticated, 4404 a missing object or another team's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from webapp import ws

log = logging.getLogger(__name__)

FINISHED_STATUSES = frozenset({"completed", "failed", "cancelled"})
NOTICE_TYPE = "revision.changed"
"""The Channels message type of a notice; consumers handle it in ``revision_changed``."""


def notify_after_commit(group: str, revision: int) -> None:
    """After the commit: tell the sockets of ``group`` that revision ``revision`` is stored.

    A notice carries only the revision: the consumer reads the row itself, so what it sends is
    always what the database holds. Delivery is best effort (consumers also re-read the row every
    few seconds); a notice that cannot be sent is logged."""
    transaction.on_commit(lambda: _send(group, revision))


def _send(group: str, revision: int) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            group, {"type": NOTICE_TYPE, "revision": revision}
        )
    except Exception:  # best effort: the stored object does not depend on it
        log.exception("could not notify the followers of %s", group)


class RevisionConsumer(ws.JsonConsumer):
    """Follows one object: joins its group first, then sends the stored state; at each notice
    (or, in case one was dropped, every ``CATCH_UP_S`` seconds: ``ws.CatchUpTicker``) it reads
    the row again and sends it if its revision is newer than the last one sent. Reads take turns
    through ``_turn``.

    Subclasses name the URL keyword of the object's id (``url_kwarg``) and implement ``find``
    (the access check), ``group_for`` and ``snapshot``; ``find`` and ``snapshot`` run off the
    event loop."""

    CATCH_UP_S = 5.0
    url_kwarg = ""

    object_id = 0
    last_revision = -1
    group = ""
    done = False
    _ticker: ws.CatchUpTicker | None = None

    def find(self, *, user: Any, object_id: int) -> Any:
        """The object if ``user`` may follow it; raises ``webapp.errors.DomainError`` if not."""
        raise NotImplementedError

    def group_for(self, object_id: int) -> str:
        """The Channels group that the object's notices are sent to."""
        raise NotImplementedError

    def snapshot(self, object_id: int) -> dict[str, Any]:
        """The object's state as the API returns it (with ``revision`` and ``status``)."""
        raise NotImplementedError

    async def connect(self) -> None:
        user = await ws.connecting_user(self)
        if user is None:
            return
        object_id = ws.path_id(self, self.url_kwarg)
        if object_id is None:
            await ws.refuse(self, ws.NOT_FOUND, "not found")
            return
        found = await ws.find_or_refuse(self, self.find, user=user, object_id=object_id)
        if found is None:
            return
        self.object_id = found.pk
        self.group = self.group_for(found.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self._turn = asyncio.Lock()
        await self.accept()
        await self._send_current()
        if not self.done:
            self._ticker = ws.CatchUpTicker(self._send_current, self.CATCH_UP_S)
            self._ticker.start()

    async def disconnect(self, code: int) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def revision_changed(self, message: dict[str, Any]) -> None:
        """A notice (``notify_after_commit``): revision ``message["revision"]`` is stored."""
        if message["revision"] > self.last_revision:
            await self._send_current()

    async def _send_current(self) -> None:
        async with self._turn:
            if self.done:
                return
            state = await database_sync_to_async(self.snapshot)(self.object_id)
            if state["revision"] <= self.last_revision:
                return
            await self.send_json(state)
            self.last_revision = state["revision"]
            if state["status"] in FINISHED_STATUSES:
                self.done = True
                if self._ticker is not None:
                    self._ticker.stop()
                await self.close()
