"""Notices to the sockets following a training (``/ws/trainings/<id>/``), sent after the commit.

A notice carries only the training's new ``revision``: the consumer reads the row itself, so
what it sends is always what the database holds. Delivery is best effort (the consumer also
re-reads the row every few seconds); a notice that cannot be sent is logged.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def group_name(training_id: int) -> str:
    """The Channels group of the sockets following training ``training_id``."""
    return f"training.{training_id}"


def training_changed(training_id: int, revision: int) -> None:
    """After the commit: tell the training's sockets that revision ``revision`` is stored."""
    transaction.on_commit(lambda: _send(training_id, revision))


def _send(training_id: int, revision: int) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(training_id), {"type": "training.changed", "revision": revision}
        )
    except Exception:  # best effort: the stored training does not depend on it
        log.exception("could not notify the followers of training %s", training_id)
