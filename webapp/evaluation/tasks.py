"""Celery tasks of experiments (thin: they call ``services``). They run on the ``runs`` queue
(``evaluation.*`` is routed there), beside the tasks that advance runs.

``evaluation.row_finished`` is the ``on_finish`` task of every run an experiment starts: the runs
app sends it, by name, with the run's id once the run has finished.
"""

from __future__ import annotations

from django.db import OperationalError

from workers.celery_app import RUNS_QUEUE, app

ADVANCE_TASK = "evaluation.advance_experiment"
ROW_FINISHED_TASK = "evaluation.row_finished"
RESUME_TASK = "evaluation.resume_experiments"

# A locked SQLite database or a dropped connection: each step is atomic, so running it again is
# safe.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "max_retries": 5}


@app.task(name=ADVANCE_TASK, **RETRY)
def advance_experiment(experiment_id: int) -> None:
    from webapp.evaluation import services

    services.experiment_advance(experiment_id=experiment_id)


@app.task(name=ROW_FINISHED_TASK, **RETRY)
def row_finished(run_id: int) -> None:
    from webapp.evaluation import services

    services.experiment_row_finished(run_id=run_id)


@app.task(name=RESUME_TASK)
def resume_experiments() -> None:
    """Periodic (every minute with celery beat): resume experiments whose notices were lost."""
    from webapp.evaluation import services

    services.experiments_resume()


def send_advance(experiment_id: int) -> None:
    advance_experiment.apply_async(args=[experiment_id], queue=RUNS_QUEUE)
