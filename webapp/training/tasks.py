"""The Celery task of the ``training`` queue (thin: it calls ``services``).

The worker that serves it needs the database and the router's model weights; start it with
``celery -A webapp.celery_app worker -Q training``.
"""

from __future__ import annotations

from workers.celery_app import app

TRAIN_TASK = "training.train_router"


@app.task(name=TRAIN_TASK)
def train_router(training_id: int) -> None:
    from webapp.training import services

    services.training_run(training_id=training_id)
