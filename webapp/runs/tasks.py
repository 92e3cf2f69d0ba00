"""Celery tasks of the runs queue. Thin: they call the driver (``webapp.runs.driver``) or the
sweeper (``webapp.runs.sweeper``) and own their retries.

They register on the app in ``workers.celery_app`` under the names that are sent to them
(``enqueue.START_TASK``; ``ADVANCE_TASK``, sent by model hosts); the ``runs`` worker loads them
through ``webapp.celery_app``. Nothing in the runs app imports this module: it sends through
``webapp.runs.enqueue``.
"""

from __future__ import annotations

import os
from typing import Any

from django.db import OperationalError

from webapp.runs import driver, enqueue, sweeper
from workers import presence
from workers.celery_app import ADVANCE_TASK, app

# A locked SQLite database or a dropped connection: the step is atomic, so running it again is
# safe.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "max_retries": 5}
SWEEP_LOCK = "octograph:sweep"


@app.task(name=enqueue.START_TASK, **RETRY)
def start_run(run_id: int) -> None:
    driver.run_start(run_id=run_id)


@app.task(name=ADVANCE_TASK, **RETRY)
def advance_run(run_id: str, node_id: str, outcome: dict[str, Any]) -> None:
    driver.run_advance(run_id=int(run_id), node_id=node_id, outcome=outcome)


@app.task(name="runs.fail_lost_runs")
def fail_lost_runs() -> None:
    """Periodic (every ``OCTOGRAPH_SWEEP_S``, with beat or a runs worker's own sweeper thread:
    ``webapp.celery_app``): fail or re-send lost work (``sweeper.fail_lost_runs``)."""
    sweep()


def sweep() -> None:
    """One sweep for lost work, unless another process swept less than ``OCTOGRAPH_SWEEP_S``
    ago (a lock in Redis: every runs worker and beat may ask)."""
    interval_ms = int(presence.sweep_s() * 1000)
    if presence.client().set(SWEEP_LOCK, os.getpid(), nx=True, px=max(500, interval_ms - 500)):
        sweeper.fail_lost_runs()
