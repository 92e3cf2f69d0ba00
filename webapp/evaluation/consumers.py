"""``/ws/experiments/<id>/``: an experiment's state, now and at every change, until it finishes.

The protocol of ``webapp.revisions``: the server sends the experiment as
``GET /api/experiments/{id}/`` returns it (``ExperimentOutput``: status, progress, summary, ...)
on connecting and again whenever it changes (each frame has a larger ``revision``), then closes
with code 1000 after sending a finished one (completed, failed or cancelled).

Refusals accept the handshake, then close (``webapp.ws.refuse``): 4401 unauthenticated, 4404 a
missing experiment or another team's. Client frames are ignored.
"""

from __future__ import annotations

from typing import Any

from webapp.evaluation import selectors
from webapp.evaluation.models import Experiment
from webapp.evaluation.notify import group_name
from webapp.evaluation.serializers import ExperimentOutput
from webapp.revisions import RevisionConsumer


class ExperimentConsumer(RevisionConsumer):
    url_kwarg = "experiment_id"

    def find(self, *, user: Any, object_id: int) -> Experiment:
        return selectors.experiment_for(user=user, experiment_id=object_id)

    def group_for(self, object_id: int) -> str:
        return group_name(object_id)

    def snapshot(self, object_id: int) -> dict[str, Any]:
        return dict(ExperimentOutput(selectors.experiment_by_id(object_id)).data)
