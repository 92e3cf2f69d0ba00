"""The experiment driver: it runs and scores an experiment's rows (Celery tasks of
``webapp.evaluation.tasks`` call it; ``services.experiment_start`` queues the first step).

An experiment's counters, status and summary live in its row; every step
locks it (``select_for_update``; on SQLite the write lock that ``BEGIN IMMEDIATE`` takes) and
then the rows it changes, always in that order, so steps of one experiment never interleave:

- ``experiment_advance`` (task ``evaluation.advance_experiment``; also the resume sweep) scores
  the running rows whose run has finished without its notice reaching us, then starts pending
  rows, in index order, until ``concurrency`` runs are under way. Each row's run is created once
  (``runs.run_create`` with ``on_finish="evaluation.row_finished"``) and linked to the row in the
  same transaction.
- ``experiment_row_finished`` (the run's ``on_finish`` task) scores the run's row from its
  stored trace, unless it is already scored (a notice delivered twice, or a row the sweep
  scored first, is ignored: rows are scored exactly once, under the experiment's lock), then
  starts the next pending row. The summary is recomputed now and then while rows are scored
  (``SUMMARY_INTERVAL_S``) and once all are, when the experiment completes; its cost prices the
  tokens of the models the runs used (``catalog.selectors.model_prices_for_team``).
- With the ``judge`` scorer, a row whose run completed gets its pure scores, turns ``judging``
  and holds its slot while a model host grades it: the job (plain JSON, ``JudgeJob``) goes to
  the judge model's queue as ``workers.judge``, which answers ``evaluation.row_judged`` by name.
  ``experiment_row_judged`` stores that score once (a reply delivered twice is ignored) and
  completes the row. A failed run scores judge 0 without asking a model; a failing judge
  replies a None score with its error; a row judging longer than ``JUDGE_DEADLINE`` (its job or
  reply lost) is sent again by the resume sweep, and after ``MAX_JUDGE_SENDS`` sends it scores
  None, so no row waits forever.

Every change bumps the experiment's ``revision`` and notifies its sockets after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from graphs.evaluation.dataset import DatasetRow as RowData
from graphs.evaluation.experiment import (
    JUDGE,
    score_row,
)
from graphs.evaluation.report import summarize
from graphs.evaluation.scorers import (
    COMPLETED,
    FAILED,
    Observation,
    Score,
    ScorerSpec,
    observe,
)
from webapp.catalog import selectors as catalog
from webapp.catalog.routing import node_route
from webapp.errors import DomainError, Forbidden, NotFound
from webapp.evaluation import notify, selectors, tasks
from webapp.evaluation.models import (
    ACTIVE,
    UNDER_WAY,
    Experiment,
    ExperimentRow,
    ExperimentStatus,
    RowStatus,
)
from webapp.runs import services as runs
from webapp.runs import uploads
from webapp.runs.models import Run, RunEvent
from workers.judge_runner import JUDGE_TIMEOUT_S, JudgeJob

log = logging.getLogger(__name__)

SUMMARY_INTERVAL_S = 1.0
SUMMARY_INTERVAL_PER_ROW_S = 0.002
"""While an experiment runs, its summary is recomputed at most every ``SUMMARY_INTERVAL_S``, or
``SUMMARY_INTERVAL_PER_ROW_S`` per row scored so far if that is longer, and always at the end.
Rebuilding and summarizing the scored rows takes about 0.15 ms a row (1,700 rows: ~250 ms),
under the experiment's lock, which every row's scoring waits for: this keeps summaries to about
a tenth of that time."""
JUDGE_DEADLINE = timedelta(seconds=2 * JUDGE_TIMEOUT_S)
"""A row judging longer than this since its job was sent has lost its job or its reply (a model
host answers within ``JUDGE_TIMEOUT_S``, or replies its failure): the resume sweep sends the job
again. Time in a busy model queue counts against it too."""
MAX_JUDGE_SENDS = 3
"""After this many sends without a reply, the row's judge score is None with the reason."""


# --- the driver -------------------------------------------------------------------------------


def experiment_advance(*, experiment_id: int) -> None:
    """Go on with an experiment (task ``evaluation.advance_experiment``; the resume sweep):
    mark a queued one running, score its running rows whose run finished unnoticed, start
    pending rows up to ``concurrency`` runs, and complete it when every row is scored. Does
    nothing for a finished experiment."""
    with transaction.atomic():
        experiment = locked_experiment(experiment_id)
        if experiment is None or experiment.finished:
            return
        changed = False
        if experiment.status == ExperimentStatus.QUEUED:
            experiment.status = ExperimentStatus.RUNNING
            experiment.started_at = timezone.now()
            changed = True
        changed |= _score_unnoticed(experiment)
        changed |= _resend_judges(experiment)
        changed |= _start_rows(experiment)
        _complete_if_done(experiment)
        if changed or experiment.finished:
            save(experiment)


def experiment_row_finished(*, run_id: int) -> None:
    """Score the row of run ``run_id`` (its ``on_finish`` task), then start the next pending row.
    Does nothing when the run is no experiment's, has not finished, its row is already scored
    or its experiment has finished."""
    found = ExperimentRow.objects.filter(run_id=run_id).values_list("pk", "experiment_id").first()
    if found is None:
        return
    row_id, experiment_id = found
    with transaction.atomic():
        experiment = locked_experiment(experiment_id)
        if experiment is None or experiment.finished:
            return
        row = locked_rows(experiment).filter(pk=row_id, status=RowStatus.RUNNING).first()
        if row is None or row.run is None or not row.run.finished:
            return
        _score(experiment, row)
        _start_rows(experiment)
        _complete_if_done(experiment)
        save(experiment)


def experiment_row_judged(*, row_id: int, score: Any) -> None:
    """Store the judge's ``score`` (``Score`` JSON, from ``evaluation.row_judged``) of a judging
    row, complete the row and start the next pending one. A reply for a row that is no longer
    judging (delivered twice, a late reply to a job sent again, a row of a cancelled experiment)
    is ignored: a row's judge score is stored exactly once, under the experiment's lock."""
    found = ExperimentRow.objects.filter(pk=row_id).values_list("experiment_id", flat=True).first()
    if found is None:
        return
    with transaction.atomic():
        experiment = locked_experiment(found)
        if experiment is None or experiment.finished:
            return
        row = locked_rows(experiment).filter(pk=row_id, status=RowStatus.JUDGING).first()
        if row is None:
            return
        _complete(experiment, row, {**(row.scores or {}), JUDGE: _judge_score(score)})
        _start_rows(experiment)
        _complete_if_done(experiment)
        save(experiment)


def _judge_score(data: Any) -> Score:
    """The judge's reply as a ``Score``: a value in [0, 1] or None; anything else is None with
    the reason (a host must never stall or corrupt the experiment)."""
    try:
        score = Score.from_json(data)
    except (TypeError, ValueError, AttributeError):
        return Score(None, {"error": f"the judge's reply is not a score: {data!r:.200}"})
    if score.value is not None and not 0.0 <= score.value <= 1.0:
        return Score(None, {"error": f"the judge's score {score.value} is not in [0, 1]"})
    return score


def experiments_resume() -> list[int]:
    """Advance every experiment under way (the ``evaluation.resume_experiments`` sweep, every
    minute): a row whose run finished while its notice was lost (a worker restarted) is scored,
    and an experiment whose first task was lost starts. Returns the ids advanced."""
    ids = list(Experiment.objects.filter(status__in=ACTIVE).values_list("pk", flat=True))
    for experiment_id in ids:
        try:
            experiment_advance(experiment_id=experiment_id)
        except Exception:  # one broken experiment must not stop the sweep of the others
            log.exception("could not resume experiment %s", experiment_id)
    return ids


def locked_experiment(experiment_id: int) -> Experiment | None:
    """The experiment, its row locked for this transaction (None if it is gone). Every step
    locks it first, then its rows (``locked_rows``)."""
    experiments = Experiment.objects.select_for_update(of=("self",)).select_related(
        "graph__team", "version", "created_by"
    )
    return experiments.filter(pk=experiment_id).first()


def locked_rows(experiment: Experiment) -> Any:
    """The experiment's rows in index order, each locked as it is read (call after
    ``locked_experiment``)."""
    return (
        ExperimentRow.objects.select_for_update(of=("self",))
        .filter(experiment=experiment)
        .select_related("dataset_row", "run")
        .defer("run__state", "run__nodes")
        .order_by("index")
    )


def _score_unnoticed(experiment: Experiment) -> bool:
    """Score the running rows whose run has finished (or was deleted) without its notice being
    handled. Whether any was scored."""
    rows = locked_rows(experiment).filter(status=RowStatus.RUNNING)
    unnoticed = [row for row in rows if row.run is None or row.run.finished]
    for row in unnoticed:
        _score(experiment, row)
    return bool(unnoticed)


def _resend_judges(experiment: Experiment) -> bool:
    """Send again the judge jobs of rows judging for longer than ``JUDGE_DEADLINE`` (the job or
    its reply was lost); a row already sent ``MAX_JUDGE_SENDS`` times scores judge None instead.
    Whether any row was found."""
    judge = _judge_spec(experiment)
    late = timezone.now() - JUDGE_DEADLINE
    rows = locked_rows(experiment).filter(status=RowStatus.JUDGING)
    stuck = list(rows.filter(Q(judge_sent_at__lt=late) | Q(judge_sent_at__isnull=True)))
    for row in stuck:
        if judge is None or row.judge_attempts >= MAX_JUDGE_SENDS:
            queue = _judge_queue(experiment, judge)
            reason = (
                f"no grade came back from the judge's queue {queue} after "
                f"{row.judge_attempts} send{'s' if row.judge_attempts != 1 else ''}"
            )
            _complete(
                experiment, row, {**(row.scores or {}), JUDGE: Score(None, {"error": reason})}
            )
        else:
            _send_judge(judge, row)
    return bool(stuck)


def _start_rows(experiment: Experiment) -> bool:
    """Start pending rows, in index order, until ``concurrency`` runs are under way (a running
    experiment only). A row whose run cannot be created is scored as failed with the reason;
    an experiment whose creator may no longer run the graph fails. Whether anything changed."""
    if experiment.status != ExperimentStatus.RUNNING:
        return False
    changed = False
    while True:
        # Judging rows hold their slot too: their judge is a request on a model queue.
        running = ExperimentRow.objects.filter(experiment=experiment, status__in=UNDER_WAY)
        free = experiment.concurrency - running.count()
        if free <= 0:
            return changed
        pending = list(locked_rows(experiment).filter(status=RowStatus.PENDING)[:free])
        if not pending:
            return changed
        for row in pending:
            changed = True
            try:
                run = _create_run(experiment, RowData.from_json(row.dataset_row.data))
            except (NotFound, Forbidden) as error:
                _fail(experiment, f"its creator may no longer run the graph: {error.message}")
                return True
            except DomainError as error:
                _score_as_failed(experiment, row, error.message)
                continue
            row.run = run
            row.status = RowStatus.RUNNING
            row.save(update_fields=["run", "status"])


def _create_run(experiment: Experiment, row: RowData) -> Run:
    """The run of one row, as its creator would start it through the API (images decoded and
    checked as JSON run requests are)."""
    if experiment.created_by is None:
        raise NotFound("the experiment's creator no longer exists")
    images = runs.images_check(uploads.from_json(row.images)) if row.images else []
    return runs.run_create(
        graph=experiment.graph,
        actor=experiment.created_by,
        text=row.input,
        version=experiment.version.number,
        images=images,
        routing_only=experiment.routing_only,
        on_finish=tasks.ROW_FINISHED_TASK,
    )


def _score(experiment: Experiment, row: ExperimentRow) -> None:
    """Score a running row from its run's stored trace (caller holds both locks)."""
    if row.run is None:
        observation = Observation(status=FAILED, error="its run was deleted")
    else:
        events = RunEvent.objects.filter(run=row.run).order_by("seq")
        observation = observe(event.to_json() for event in events)
    _record(experiment, row, observation)


def _score_as_failed(experiment: Experiment, row: ExperimentRow, reason: str) -> None:
    _record(experiment, row, Observation(status=FAILED, error=reason))


def _record(experiment: Experiment, row: ExperimentRow, observation: Observation) -> None:
    """Score a row whose run has finished (caller holds both locks): the pure scorers now; with
    the ``judge`` scorer, a completed run's row turns ``judging`` and its judge job is sent (a
    failed run's judge scores 0 without asking a model); otherwise the row is complete."""
    specs = [ScorerSpec.from_json(spec) for spec in experiment.scorers]
    data = RowData.from_json(row.dataset_row.data)
    try:
        scores = score_row(data, observation, specs, row.expected_routes)
    except Exception as error:  # scorers never raise on bad data; a bug must not stall the run
        log.exception("scoring row %s of experiment %s failed", row.index, experiment.pk)
        scores = {
            spec.name: Score(None, {"error": f"the scorer crashed: {error}"})
            for spec in specs
            if spec.name != JUDGE
        }
    row.observation = observation.to_json()
    row.outcome = observation.status
    judge = _judge_spec(experiment)
    if judge is not None and observation.completed:
        row.scores = {name: score.to_json() for name, score in scores.items()}
        row.status = RowStatus.JUDGING
        row.judge_attempts = 0
        row.save(update_fields=["observation", "scores", "outcome", "status", "judge_attempts"])
        _send_judge(judge, row)
        return
    if judge is not None:
        scores[JUDGE] = Score(0.0, {"error": observation.error or f"the run {observation.status}"})
    _complete(experiment, row, scores)


def _complete(
    experiment: Experiment, row: ExperimentRow, scores: Mapping[str, Score | Mapping[str, Any]]
) -> None:
    """Store the row's final ``scores`` (``Score`` or its JSON, by scorer) and count it done
    (failed when its run did not complete); the summary is recomputed when it is due (caller
    holds both locks and saves the experiment)."""
    row.scores = {
        name: score.to_json() if isinstance(score, Score) else dict(score)
        for name, score in scores.items()
    }
    row.status = RowStatus.SCORED
    row.save(update_fields=["observation", "scores", "outcome", "status"])
    experiment.done += 1
    if row.outcome != COMPLETED:
        experiment.failed += 1
    now = timezone.now()
    last = experiment.summarized_at
    interval = max(SUMMARY_INTERVAL_S, experiment.done * SUMMARY_INTERVAL_PER_ROW_S)
    if last is None or (now - last).total_seconds() >= interval:
        _summarize(experiment, now)


def _judge_spec(experiment: Experiment) -> ScorerSpec | None:
    """The experiment's ``judge`` scorer, if it has one."""
    return next(
        (ScorerSpec.from_json(spec) for spec in experiment.scorers if spec["name"] == JUDGE),
        None,
    )


def _judge_queue(experiment: Experiment, judge: ScorerSpec | None) -> str:
    """The queue the judge's jobs go to (its model's, or the runs workers' for a team's
    endpoint), for messages."""
    if judge is None:
        return "(none)"
    model = str(judge.options.get("model"))
    return node_route(team_id=experiment.graph.team_id, model=model)[0]


def _send_judge(judge: ScorerSpec, row: ExperimentRow) -> None:
    """Send (again) the judge job of a judging row to its model's queue, after the commit:
    question = the row's input, answer = its run's output, reference = its ``expected`` (or
    ``metadata.reference``). The caller holds the row's lock."""
    data = RowData.from_json(row.dataset_row.data)
    reference = data.reference
    model = str(judge.options["model"])
    job = JudgeJob(
        model=model,
        question=data.input,
        answer=str((row.observation or {}).get("output") or ""),
        reference=None if reference is None else str(reference),
    ).to_json()
    row.judge_attempts += 1
    row.judge_sent_at = timezone.now()
    row.save(update_fields=["judge_attempts", "judge_sent_at"])
    queue, endpoint = node_route(team_id=row.experiment.graph.team_id, model=model)
    transaction.on_commit(partial(tasks.send_judge, row.pk, job, queue=queue, endpoint=endpoint))


def unjudge(row: ExperimentRow) -> None:
    """Put a judging row back to ``pending``, unscored (its experiment is cancelled)."""
    row.status = RowStatus.PENDING
    row.observation = row.scores = None
    row.outcome = ""
    row.judge_sent_at = None
    row.save(update_fields=["status", "observation", "scores", "outcome", "judge_sent_at"])


def _summarize(experiment: Experiment, now: Any = None) -> None:
    rows = selectors.scored_rows(experiment)
    experiment.summary = summarize(rows, experiment.scorer_names, prices=_prices(experiment, rows))
    experiment.summarized_at = now or timezone.now()


def _prices(experiment: Experiment, rows: Sequence[Any]) -> dict[str, float]:
    """The prices (USD per million tokens) of the models the scored rows' runs used, among the
    models of the graph's team that have one; {} when none has (the summary's cost is null)."""
    used = {model for row in rows for model in row.observation.node_models.values()}
    if not used:
        return {}
    prices = catalog.model_prices_for_team(experiment.graph.team)
    return {model: price for model, price in prices.items() if model in used}


def _complete_if_done(experiment: Experiment) -> None:
    if experiment.status == ExperimentStatus.RUNNING and experiment.done >= experiment.total:
        finish(experiment, ExperimentStatus.COMPLETED, "")


def _fail(experiment: Experiment, reason: str) -> None:
    finish(experiment, ExperimentStatus.FAILED, reason)


def finish(experiment: Experiment, status: ExperimentStatus, error: str) -> None:
    """End the experiment with its final summary (the caller saves it)."""
    experiment.status = status
    experiment.error = error
    experiment.finished_at = timezone.now()
    _summarize(experiment)


def save(experiment: Experiment) -> None:
    """Save the experiment with the next revision and notify its sockets after the commit."""
    experiment.revision += 1
    experiment.save(
        update_fields=[
            "status",
            "started_at",
            "finished_at",
            "done",
            "failed",
            "summary",
            "summarized_at",
            "error",
            "revision",
        ]
    )
    notify.experiment_changed(experiment.pk, experiment.revision)
