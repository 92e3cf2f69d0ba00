"""``/ws/runs/<id>/?after=<seq>``: a run's events, replayed then live, each exactly once.

Protocol: the server sends one JSON text frame per event, in the event schema of
``graphs.events`` (``{"run", "seq", "ts", "type", "node", "data"}``), in ``seq`` order with no
gaps and no repeats, starting after ``after`` (default 0: from the first event). After the
terminal event (``run.completed``/``failed``/``cancelled``) the server closes the socket with
code 1000; connecting to a finished run therefore replays it and closes. A client that loses the
connection reconnects with ``after`` = the last ``seq`` it received and misses nothing. Deltas
are replayed while the run's Redis stream is kept; after that, replay comes from the stored trace
(structural events only, their seqs unchanged). Nothing the client sends is read, and no frame
can break the socket (``webapp.ws.JsonConsumer``).

Refusals accept the handshake, then close (``webapp.ws.refuse``): 4401 without a session or a
valid token (``webapp.accounts.ws_auth``), 4400 for a malformed ``after`` (not ASCII digits, over
``MAX_SEQ`` or repeated), 4404 for a missing run or another team's.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async

from graphs.events import TERMINAL_TYPES
from webapp import ws
from webapp.runs import selectors
from workers.event_stream import group_name

MAX_SEQ = 2**31 - 1
_TERMINAL = {str(t) for t in TERMINAL_TYPES}


class RunEventsConsumer(ws.JsonConsumer):
    """Joins ``run.<id>`` first, then replays the stored events after ``after``, then relays.

    Joining before reading the replay is what makes the hand-over lossless: an event published
    after the read arrives through the group, one published before it is in the replay, and
    one in both is sent once because events with ``seq <= last_sent`` are skipped. Group
    delivery is best effort (a full channel drops messages; events of different processes may
    arrive out of order), so a live event beyond ``last_sent + 1`` first fills the gap from the
    run's stream. A dropped message with no event after it (the terminal one, say) would leave
    no gap to notice, so every ``CATCH_UP_S`` seconds the stream is also read for anything
    missed (``ws.CatchUpTicker``). Live events and catch-ups take turns through ``_turn``, so
    ``last_sent`` only grows.
    """

    CATCH_UP_S = 5.0

    run: Any = None
    last_sent = 0
    group = ""
    done = False
    _ticker: ws.CatchUpTicker | None = None

    async def connect(self) -> None:
        user = await ws.connecting_user(self)
        if user is None:
            return
        try:
            after = ws.query_int(
                self.scope.get("query_string", b""), "after", default=0, maximum=MAX_SEQ
            )
        except ws.BadQuery as bad:
            await ws.refuse(self, ws.BAD_REQUEST, str(bad))
            return
        run_id = ws.path_id(self, "run_id")
        if run_id is None:
            await ws.refuse(self, ws.NOT_FOUND, "run not found")
            return
        self.run = await ws.find_or_refuse(self, selectors.run_for, user=user, run_id=run_id)
        if self.run is None:
            return
        self.last_sent = after
        self.group = group_name(str(self.run.pk))
        await self.channel_layer.group_add(self.group, self.channel_name)
        self._turn = asyncio.Lock()
        await self.accept()
        async with self._turn:
            await self._send_stored()
        if not self.done:
            self._ticker = ws.CatchUpTicker(self._catch_up, self.CATCH_UP_S)
            self._ticker.start()

    async def disconnect(self, code: int) -> None:
        self._stop_ticker()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _catch_up(self) -> None:
        async with self._turn:
            if not self.done:
                await self._send_stored()

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()

    async def run_event(self, message: dict[str, Any]) -> None:
        """A live event from the relay (``workers.event_stream.ChannelRelay``)."""
        event = message["event"]
        async with self._turn:
            if self.done or event["seq"] <= self.last_sent:
                return
            if event["seq"] > self.last_sent + 1:
                await self._send_stored()  # fills the gap, and includes this event
                return
            await self._send(event)

    async def _send_stored(self) -> None:
        events = await database_sync_to_async(selectors.events_after)(
            self.run, after=self.last_sent
        )
        for event in events:
            if not await self._send(event):
                return
        if events or self.done:
            return
        # Reconnected after the terminal event: nothing will come.
        if await database_sync_to_async(selectors.run_ended_by)(self.run, seq=self.last_sent):
            await self._finish()

    async def _finish(self) -> None:
        self.done = True
        self._stop_ticker()
        await self.close()

    async def _send(self, event: dict[str, Any]) -> bool:
        """Send ``event``; close after a terminal one. Whether more may be sent."""
        if self.done:
            return False
        await self.send_json(event)
        self.last_sent = event["seq"]
        if event["type"] in _TERMINAL:
            await self._finish()
            return False
        return True
