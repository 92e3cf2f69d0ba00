"""``/ws/graphs/<id>/``: who else has the graph open, and notices of newly saved versions.

Server to client (JSON text frames):

- ``{"type": "presence", "event": "joined"|"left"|"changed", "user": name, "present": [{"user",
  "role", "mode"}]}`` whenever someone arrives, leaves or switches between viewing and editing
  (``present`` is everyone on the graph now; the first frame a client gets is its own join);
- ``{"type": "version.saved", "graph", "version", "author", "message", "created_at"}`` after a
  version is saved (``webapp.graphstore.notify``);
- ``{"type": "error", "code", "message"}`` for a frame the server cannot act on: ``invalid``
  for any frame but the two below (binary, not JSON, over ``webapp.ws.MAX_CLIENT_FRAME_CHARS``,
  another type or shape), ``permission_denied`` for editing without the editor role. The
  socket stays open.

Client to server: ``{"type": "heartbeat"}`` every ``presence.HEARTBEAT_S`` seconds (a client
silent for ``presence.PRESENCE_TTL_S`` is dropped from the list), ``{"type": "mode", "mode":
"editing"|"viewing"}`` (editing needs the editor role).

Refusals accept the handshake, then close (``webapp.ws.refuse``): 4401 unauthenticated, 4404 a
missing graph or another team's.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async

from webapp import ws
from webapp.accounts.models import Role
from webapp.graphstore import presence
from webapp.graphstore.notify import group_name
from webapp.graphstore.selectors import graph_for

_EXPECTED = 'send {"type": "heartbeat"} or {"type": "mode", "mode": "editing"|"viewing"}'


class GraphPresenceConsumer(ws.JsonConsumer):
    graph_id = 0
    group = ""
    username = ""
    role = ""

    async def connect(self) -> None:
        user = await ws.connecting_user(self)
        if user is None:
            return
        graph_id = ws.path_id(self, "graph_id")
        if graph_id is None:
            await ws.refuse(self, ws.NOT_FOUND, "graph not found")
            return
        graph = await ws.find_or_refuse(self, graph_for, user=user, graph_id=graph_id)
        if graph is None:
            return
        self.graph_id, self.username, self.role = graph.pk, user.get_username(), graph.role
        self.group = group_name(graph.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._announce("joined", mode="viewing")

    async def disconnect(self, code: int) -> None:
        if not self.group:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        present = await sync_to_async(presence.presence_leave)(
            graph_id=self.graph_id, channel=self.channel_name
        )
        await self._broadcast("left", present)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "heartbeat":
            await sync_to_async(presence.presence_touch)(
                graph_id=self.graph_id, channel=self.channel_name
            )
        elif kind == "mode" and content.get("mode") in presence.MODES:
            if content["mode"] == "editing" and not Role(self.role).allows(Role.EDITOR):
                await self._error("permission_denied", "editing needs the editor role")
                return
            await self._announce("changed", mode=content["mode"])
        else:
            await self._error("invalid", _EXPECTED)

    async def receive_unreadable(self, reason: str) -> None:
        await self._error("invalid", f"{reason}: {_EXPECTED}")

    async def graph_notice(self, message: dict[str, Any]) -> None:
        """A notice for everyone on the graph (presence changes, saved versions)."""
        await self.send_json(message["notice"])

    async def _announce(self, event: str, *, mode: str) -> None:
        present = await sync_to_async(presence.presence_set)(
            graph_id=self.graph_id,
            channel=self.channel_name,
            user=self.username,
            role=self.role,
            mode=mode,
        )
        await self._broadcast(event, present)

    async def _broadcast(self, event: str, present: list[dict[str, Any]]) -> None:
        notice = {"type": "presence", "event": event, "user": self.username, "present": present}
        await self.channel_layer.group_send(self.group, {"type": "graph.notice", "notice": notice})

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})
