"""What the WebSocket tests share: how a refusal looks to a client (``webapp.ws.refuse``)."""

from __future__ import annotations

from typing import Any

SOCKET_TIMEOUT_S = 5


async def refusal(socket: Any) -> tuple[bool, int]:
    """``(accepted, close code)`` of a socket the server refuses: the handshake is accepted, so
    that browsers see the code, then closed at once. Tells the consumer the client left after
    that: a refused consumer otherwise keeps waiting on the channel layer, and the test's event
    loop can hang cancelling it at teardown."""
    accepted, _ = await socket.connect(SOCKET_TIMEOUT_S)
    close = await socket.receive_output(SOCKET_TIMEOUT_S) if accepted else {"code": _}
    await socket.disconnect()
    assert not accepted or close["type"] == "websocket.close", close
    return accepted, close.get("code", 1000)
