"""Notices to the sockets following a training (``/ws/trainings/<id>/``), sent after the commit
(``webapp.revisions``: a notice carries only the new revision; delivery is best effort)."""

from __future__ import annotations

from webapp.revisions import notify_after_commit


def group_name(training_id: int) -> str:
    """The Channels group of the sockets following training ``training_id``."""
    return f"training.{training_id}"


def training_changed(training_id: int, revision: int) -> None:
    """After the commit: tell the training's sockets that revision ``revision`` is stored."""
    notify_after_commit(group_name(training_id), revision)
