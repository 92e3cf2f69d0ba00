"""The Celery app of Octograph: model hosts and the web app's run advancer share it.

Start a model host with ``celery -A workers.celery_app worker -Q model.<key>[,model.<key>...]``:
it needs only Redis and the weights, never the database. The web app's tasks (queue ``runs``)
register on this same app from ``webapp.celery_app``; workers/ never imports webapp/, so node
tasks reach them by name (``send_task``).

Queues: ``model.<catalog key>`` for nodes that call a model (``node_queue``) and for judging
experiment rows with that model (``workers.judge``), ``runs`` for
starting and advancing runs and experiments (``evaluation.*`` tasks), ``training`` for training
routers (``training.*`` tasks). Tasks are acknowledged after they finish (``acks_late``), so a
task whose worker dies is delivered again; each worker reserves one message at a time.
"""

from __future__ import annotations

from typing import ClassVar

from celery import Celery

from workers import settings

RUNS_QUEUE = "runs"
TRAINING_QUEUE = "training"
ADVANCE_TASK = "runs.advance_run"
"""The web app's task that folds a node's outcome into its run: ``(run_id, node_id, outcome)``."""
JUDGE_TASK = "workers.judge"
"""The model hosts' task that grades an experiment row's answer: ``(row_id, job)``, sent to the
judge model's queue (``node_queue``); ``job`` is ``workers.judge_runner.JudgeJob`` JSON."""
JUDGED_TASK = "evaluation.row_judged"
"""The web app's task that stores a row's judge score: ``(row_id, score)`` (``Score`` JSON)."""

# Seconds before the broker hands an unacknowledged message (its worker died) to another worker.
# Longer than any node may run (3600 s per attempt is the config maximum), or a slow node would
# be delivered twice.
VISIBILITY_TIMEOUT_S = 4 * 3600


class _Config:
    """Celery settings. Read when the app is first used, not at import, so that a ``REDIS_URL``
    set after import (the tests pick a private Redis database) is the one used."""

    task_serializer = result_serializer = "json"
    accept_content = ("json",)
    task_ignore_result = True
    task_acks_late = True
    task_reject_on_worker_lost = True
    worker_prefetch_multiplier = 1
    task_routes: ClassVar = {
        "runs.*": {"queue": RUNS_QUEUE},
        # Experiments advance beside their runs; the runs app sends ``evaluation.row_finished``
        # by name (``Run.on_finish``), so the route must be known wherever a run finishes.
        "evaluation.*": {"queue": RUNS_QUEUE},
        "training.*": {"queue": TRAINING_QUEUE},
    }
    broker_transport_options: ClassVar = {"visibility_timeout": VISIBILITY_TIMEOUT_S}
    broker_connection_retry_on_startup = True
    worker_hijack_root_logger = False

    @property
    def broker_url(self) -> str:
        return settings.redis_url()

    @property
    def result_backend(self) -> str:
        return settings.redis_url()


app = Celery("octograph", include=["workers.tasks"])
app.config_from_object(_Config())


def node_queue(model: str) -> str:
    """The queue of the workers hosting catalog model ``model``."""
    return f"model.{model}"
