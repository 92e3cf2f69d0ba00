"""Notices to the sockets following an experiment (``/ws/experiments/<id>/``), sent after the
commit (``webapp.revisions``: a notice carries only the new revision; delivery is best effort)."""

from __future__ import annotations

from webapp.revisions import notify_after_commit


def group_name(experiment_id: int) -> str:
    """The Channels group of the sockets following experiment ``experiment_id``."""
    return f"experiment.{experiment_id}"


def experiment_changed(experiment_id: int, revision: int) -> None:
    """After the commit: tell the experiment's sockets that revision ``revision`` is stored."""
    notify_after_commit(group_name(experiment_id), revision)
