"""Notices to the people who have a graph open (``/ws/graphs/<id>/``), sent after the commit.

Services call these functions and stay free of transport details: each notice goes to the
Channels group ``graph.<id>`` once the surrounding transaction commits (never for a rolled-back
write), and delivery is best effort: a notice that cannot be sent is logged, and the write it
reports stands.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from webapp.graphstore.models import GraphVersion

log = logging.getLogger(__name__)


def group_name(graph_id: int) -> str:
    """The Channels group of the sockets open on graph ``graph_id``."""
    return f"graph.{graph_id}"


def version_saved(version: GraphVersion) -> None:
    """After the commit: ``{"type": "version.saved", "graph", "version", "author", "message",
    "created_at"}`` to everyone on the graph, so open editors can offer to reload."""
    notice = {
        "type": "version.saved",
        "graph": version.graph_id,
        "version": version.number,
        "author": version.author.get_username() if version.author else None,
        "message": version.message,
        "created_at": version.created_at.isoformat(),
    }
    graph_id = version.graph_id
    transaction.on_commit(lambda: send(graph_id, notice))


def send(graph_id: int, notice: dict[str, Any]) -> None:
    """Send ``notice`` to the graph's sockets now (from synchronous code); never raises."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(graph_id), {"type": "graph.notice", "notice": notice}
        )
    except Exception:  # best effort: the saved version does not depend on it
        log.exception("could not notify the viewers of graph %s", graph_id)
