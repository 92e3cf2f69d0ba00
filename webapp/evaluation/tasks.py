"""Celery tasks of experiments (thin: they call ``driver``). They run on the ``runs`` queue
(``evaluation.*`` is routed there), beside the tasks that advance runs.

``evaluation.row_finished`` is the ``on_finish`` task of every run an experiment starts: the runs
app sends it, by name, with the run's id once the run has finished. ``evaluation.row_judged`` is
the model hosts' reply to a ``workers.judge`` job (sent to the judge model's queue): they send it,
by name, with the row's id and the judge's score.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError

from workers.celery_app import JUDGE_TASK, JUDGED_TASK, RUNS_QUEUE, app

ADVANCE_TASK = "evaluation.advance_experiment"
ROW_FINISHED_TASK = "evaluation.row_finished"
RESUME_TASK = "evaluation.resume_experiments"

# A locked SQLite database or a dropped connection: each step is atomic, so running it again is
# safe.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "max_retries": 5}


@app.task(name=ADVANCE_TASK, **RETRY)
def advance_experiment(experiment_id: int) -> None:
    from webapp.evaluation import driver

    driver.experiment_advance(experiment_id=experiment_id)


@app.task(name=ROW_FINISHED_TASK, **RETRY)
def row_finished(run_id: int) -> None:
    from webapp.evaluation import driver

    driver.experiment_row_finished(run_id=run_id)


@app.task(name=JUDGED_TASK, **RETRY)
def row_judged(row_id: int, score: Any) -> None:
    from webapp.evaluation import driver

    driver.experiment_row_judged(row_id=row_id, score=score)


@app.task(name=RESUME_TASK)
def resume_experiments() -> None:
    """Periodic (every minute with celery beat): resume experiments whose notices were lost."""
    from webapp.evaluation import driver

    driver.experiments_resume()


def send_advance(experiment_id: int) -> None:
    advance_experiment.apply_async(args=[experiment_id], queue=RUNS_QUEUE)


def send_judge(
    row_id: int, job: dict[str, Any], *, queue: str, endpoint: dict[str, Any] | None
) -> None:
    """Ask the hosts of the judge model (``queue``; with ``endpoint``, a team endpoint's
    reference, the runs workers) to grade a row: ``job`` is ``workers.judge_runner.JudgeJob``
    JSON; the reply is ``evaluation.row_judged``."""
    app.send_task(JUDGE_TASK, args=[row_id, job], kwargs={"endpoint": endpoint}, queue=queue)
