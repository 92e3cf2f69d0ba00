"""The Celery task of the ``training`` queue (thin: it calls ``services``, which sends it by
name, ``services.TRAIN_TASK``, and never imports this module).

The worker that serves it needs the database and the router's model weights; start it with
``celery -A webapp.celery_app worker -Q training``.
"""

from __future__ import annotations

from webapp.training import services
from workers.celery_app import app


@app.task(name=services.TRAIN_TASK)
def train_router(training_id: int) -> None:
    services.training_run(training_id=training_id)
