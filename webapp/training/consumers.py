"""``/ws/trainings/<id>/``: a training's state, now and at every change, until it finishes.

The protocol of ``webapp.revisions``: the server sends the training as
``GET /api/trainings/{id}/`` returns it (``TrainingOutput``: status, progress, error, adapter,
...) on connecting and again whenever it changes (each frame has a larger ``revision``), then
closes with code 1000 after sending a finished one (completed, failed or cancelled).

Refusals accept the handshake, then close (``webapp.ws.refuse``): 4401 unauthenticated, 4404 a
missing training or another team's. Client frames are ignored.
"""

from __future__ import annotations

from typing import Any

from webapp.revisions import RevisionConsumer
from webapp.training import selectors
from webapp.training.models import Training
from webapp.training.notify import group_name
from webapp.training.serializers import TrainingOutput


class TrainingConsumer(RevisionConsumer):
    url_kwarg = "training_id"

    def find(self, *, user: Any, object_id: int) -> Training:
        return selectors.training_for(user=user, training_id=object_id)

    def group_for(self, object_id: int) -> str:
        return group_name(object_id)

    def snapshot(self, object_id: int) -> dict[str, Any]:
        return dict(TrainingOutput(selectors.training_by_id(object_id)).data)
