"""Writes for evaluation: datasets (upload, built-in copy, from past runs, delete) and
experiments (start, the driver that runs and scores their rows, cancel, resume).

Datasets are checked whole before anything is stored (``graphs.evaluation.dataset``, then every
row's images as run creation checks them) and stored in one transaction: a bad file is refused
with every problem, nothing half-imported.

The experiment driver. An experiment's counters, status and summary live in its row; every step
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

import base64
import csv
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from graphs import SpecError, load_spec
from graphs.evaluation.builtin import BUILTIN_DATASETS, load_builtin
from graphs.evaluation.dataset import (
    MAX_DATASET_ROWS,
    DatasetError,
    RowProblem,
    dataset_fields,
    parse_dataset,
)
from graphs.evaluation.dataset import DatasetRow as RowData
from graphs.evaluation.experiment import (
    JUDGE,
    needs_answers,
    routing_only_default,
    sample_indices,
    score_row,
)
from graphs.evaluation.report import summarize
from graphs.evaluation.routes import resolve_expected_routes
from graphs.evaluation.scorers import (
    COMPLETED,
    FAILED,
    Observation,
    Score,
    ScorerSpec,
    default_scorers,
    observe,
)
from graphs.evaluation.scorers import scorer_problems as find_scorer_problems
from webapp.accounts.access import require_role
from webapp.accounts.models import Role, Team
from webapp.catalog import selectors as catalog
from webapp.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from webapp.evaluation import notify, selectors, tasks
from webapp.evaluation.models import (
    ACTIVE,
    UNDER_WAY,
    Dataset,
    DatasetRow,
    DatasetSource,
    Experiment,
    ExperimentRow,
    ExperimentStatus,
    RowStatus,
)
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import latest_version_of, version_of
from webapp.runs import services as runs
from webapp.runs import uploads
from webapp.runs.models import Run, RunEvent, RunStatus
from workers.celery_app import node_queue
from workers.judge_runner import JUDGE_TIMEOUT_S, JudgeJob

AnyUser = AbstractBaseUser | AnonymousUser
log = logging.getLogger(__name__)

MAX_DATASET_BYTES = 20 * 1024 * 1024
MAX_ROUTE_PROBLEMS = 100
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


# --- datasets ---------------------------------------------------------------------------------


def dataset_upload(
    *, team: Team, actor: AnyUser, file: UploadedFile, name: str = "", description: str = ""
) -> Dataset:
    """A dataset from an uploaded JSONL or CSV file (editors of ``team``; at most 20 MiB).

    Raises ``Invalid``: ``file_too_large``, or ``invalid_dataset`` with ``problems`` (every
    problem of the file, ``{"line", "field", "message"}`` each: ``parse_dataset``'s, each row
    whose images run creation would refuse, text that cannot be stored)."""
    require_role(user=actor, team=team, role=Role.EDITOR, what="team")
    filename = uploads.clean_name(file.name or "")
    if (file.size or 0) > MAX_DATASET_BYTES:
        raise Invalid(
            f"the file is larger than {MAX_DATASET_BYTES // 1024 // 1024} MiB",
            code="file_too_large",
            field="file",
        )
    data = file.read()
    try:
        rows = parse_dataset(data, filename=filename)
    except DatasetError as error:
        raise _invalid_dataset(error.problems) from None
    lines = _record_lines(data, filename)
    problems = _storage_problems(rows, lines) + _image_problems(rows, lines)
    if problems:
        raise _invalid_dataset(sorted(problems, key=lambda problem: problem.line))
    return _dataset_create(
        team=team,
        actor=actor,
        name=name or filename,
        description=description,
        source=DatasetSource.UPLOAD,
        rows=rows,
        filename=filename,
    )


def dataset_from_builtin(
    *, team: Team, actor: AnyUser, builtin: str, name: str = "", description: str = ""
) -> Dataset:
    """A copy of a built-in dataset (``graphs.evaluation.builtin``) for ``team`` (editors).
    Raises ``Invalid`` (``unknown_builtin``, naming the known ones)."""
    require_role(user=actor, team=team, role=Role.EDITOR, what="team")
    try:
        rows = load_builtin(builtin)
    except KeyError:
        raise Invalid(
            f"no built-in dataset '{builtin}' (known: {', '.join(BUILTIN_DATASETS)})",
            code="unknown_builtin",
            field="builtin",
        ) from None
    info = BUILTIN_DATASETS[builtin]
    return _dataset_create(
        team=team,
        actor=actor,
        name=name or info.title,
        description=description or info.description,
        source=DatasetSource.BUILTIN,
        rows=rows,
        builtin=builtin,
    )


def dataset_from_runs(
    *,
    team: Team,
    actor: AnyUser,
    graph: Graph,
    limit: int = 100,
    name: str = "",
    description: str = "",
) -> Dataset:
    """A dataset of the inputs (text and images) of ``graph``'s last ``limit`` completed runs,
    newest first, each expecting the output its run gave (editors of ``team``, the graph's team).
    Runs of experiments and routing-only runs are left out.

    Raises ``Invalid``: ``other_team`` (the graph is another team's), ``no_runs``."""
    require_role(user=actor, team=team, role=Role.EDITOR, what="team")
    if graph.team_id != team.pk:
        raise Invalid(
            f"graph '{graph.name}' belongs to another team; a dataset is made from its own "
            "team's runs",
            code="other_team",
            field="from_runs",
        )
    chosen = list(
        Run.objects.filter(
            graph=graph,
            status=RunStatus.COMPLETED,
            routing_only=False,
            experiment_row__isnull=True,
        )
        .prefetch_related("uploads")
        .order_by("-created_at", "-id")[: min(limit, MAX_DATASET_ROWS)]
    )
    if not chosen:
        raise Invalid(
            f"graph '{graph.name}' has no completed runs to make a dataset of",
            code="no_runs",
            field="from_runs",
        )
    rows = [
        RowData(
            input=run.input,
            images=tuple(_image_json(upload) for upload in run.uploads.all()),
            expected=run.output,
            metadata={"run": run.pk, "version": run.version_id},
        )
        for run in chosen
    ]
    return _dataset_create(
        team=team,
        actor=actor,
        name=name or f"Runs of {graph.name}"[:200],
        description=description,
        source=DatasetSource.RUNS,
        rows=rows,
    )


def dataset_delete(*, dataset: Dataset, actor: AnyUser) -> None:
    """Delete a dataset and its experiments (editors). Raises ``Conflict``
    (``dataset_in_use``, naming the ``experiment``) while an experiment on it is under way."""
    require_role(user=actor, team=dataset.team, role=Role.EDITOR, what="dataset")
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
        if locked is None:
            return
        running = Experiment.objects.filter(dataset=locked, status__in=ACTIVE).first()
        if running is not None:
            raise Conflict(
                f"experiment {running.pk} on this dataset is under way; cancel it or wait for it",
                code="dataset_in_use",
                experiment=running.pk,
            )
        locked.delete()


@transaction.atomic
def _dataset_create(
    *,
    team: Team,
    actor: AnyUser,
    name: str,
    description: str,
    source: DatasetSource,
    rows: Sequence[RowData],
    builtin: str = "",
    filename: str = "",
) -> Dataset:
    dataset = Dataset.objects.create(
        team=team,
        name=name[:200] or "Untitled dataset",
        description=description,
        source=source,
        builtin=builtin,
        filename=filename,
        row_count=len(rows),
        fields=dataset_fields(rows),
        created_by=actor,
    )
    DatasetRow.objects.bulk_create(
        (DatasetRow(dataset=dataset, index=i, data=row.to_json()) for i, row in enumerate(rows)),
        batch_size=500,
    )
    return dataset


def _invalid_dataset(problems: Sequence[RowProblem]) -> Invalid:
    count = len(problems)
    return Invalid(
        f"the file has {count} problem{'s' if count != 1 else ''}",
        code="invalid_dataset",
        field="file",
        problems=[problem.to_json() for problem in problems],
    )


def _record_lines(data: bytes, filename: str) -> list[int]:
    """The line each row of a file that ``parse_dataset`` accepted starts on, in row order:
    records are read as it reads them (blank lines and records skipped; a CSV's first record is
    its header)."""
    text = data.decode("utf-8-sig")
    if not filename.lower().endswith(".csv"):
        return [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[int] = []
    previous_end = 0
    header = False
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if header:
            lines.append(start)
        header = True
    return lines


def _storage_problems(rows: Sequence[RowData], lines: Sequence[int]) -> list[RowProblem]:
    """Rows with a NUL character, which PostgreSQL cannot store in text or JSON."""
    return [
        RowProblem(line, None, "contains a NUL character (\\u0000), which cannot be stored")
        for row, line in zip(rows, lines, strict=False)
        if _has_nul(row.to_json())
    ]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _image_problems(rows: Sequence[RowData], lines: Sequence[int]) -> list[RowProblem]:
    """For each row with images that run creation would refuse: its first bad image, as
    ``runs.images_check`` names it (CPU-bound: called before any transaction)."""
    problems = []
    for row, line in zip(rows, lines, strict=False):
        if not row.images:
            continue
        try:
            runs.images_check(uploads.from_json(row.images))
        except Invalid as error:
            problems.append(RowProblem(line, "images", error.message))
    return problems


def _image_json(upload: Any) -> dict[str, str]:
    """A run's image as a dataset row carries it: its original file in base64."""
    image = {"data": base64.b64encode(bytes(upload.original)).decode("ascii")}
    image["media_type"] = upload.original_type
    if upload.name:
        image["name"] = upload.name
    return image


# --- starting an experiment -------------------------------------------------------------------


@dataclass(frozen=True)
class _Selected:
    row_id: int
    index: int
    expected_routes: dict[str, str]


@transaction.atomic
def experiment_start(
    *,
    graph: Graph,
    actor: AnyUser,
    dataset: Dataset,
    version: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    scorers: Sequence[ScorerSpec] | None = None,
    routing_only: bool | None = None,
    concurrency: int | None = None,
) -> Experiment:
    """Queue an experiment of ``version`` (default: the latest) of ``graph`` on ``dataset``
    (a dataset of the graph's team): every row, or ``sample`` rows drawn with ``seed``
    (``graphs.evaluation.experiment.sample_indices``, as the CLI draws them). Whoever may run
    the graph may start one (viewers too).

    ``scorers`` default to the dataset's fields' (``default_scorers``); ``routing_only`` defaults
    to "every scorer needs only routing decisions"; ``concurrency`` to
    ``OCTOGRAPH_EXPERIMENT_CONCURRENCY``.

    Raises ``NotFound``/``Forbidden`` (access; a dataset of another team is not found) and
    ``Invalid``: ``invalid_graph`` (the version no longer loads), ``invalid_scorers`` (with
    ``problems``; among them a ``judge`` without ``model``, or whose model the graph's team cannot
    use or that does not write text), ``scorer_not_supported`` (``judge`` by a graph),
    ``not_routing_only`` (a routing-only
    experiment with a scorer that reads answers), ``no_router``, ``invalid_routes`` (rows whose
    ``route`` names no target of the graph's routers, with ``problems`` by row).
    """
    require_role(user=actor, team=graph.team, role=Role.VIEWER, what="graph")
    if dataset.team_id != graph.team_id:
        raise NotFound("dataset not found")
    graph_version = (
        latest_version_of(graph) if version is None else version_of(graph=graph, number=version)
    )
    try:
        spec = load_spec(graph_version.spec)
    except SpecError as error:
        raise Invalid(f"the graph version does not load: {error}", code="invalid_graph") from None
    specs = (
        [ScorerSpec(name) for name in default_scorers(dataset.fields)]
        if scorers is None
        else list(scorers)
    )
    _check_scorers(specs, dataset.fields, graph.team)
    routing_only = _check_routing_only(specs, routing_only, spec)
    # Lock the dataset: it cannot be deleted while its rows are being selected.
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
    selected = _select_rows(dataset, sample, seed, spec)
    experiment = Experiment.objects.create(
        graph=graph,
        version=graph_version,
        dataset=dataset,
        sample_size=sample,
        seed=seed,
        scorers=[spec.to_json() for spec in specs],
        routing_only=routing_only,
        concurrency=concurrency or settings.EXPERIMENT_CONCURRENCY,
        total=len(selected),
        created_by=actor,
    )
    ExperimentRow.objects.bulk_create(
        (
            ExperimentRow(
                experiment=experiment,
                dataset_row_id=row.row_id,
                index=row.index,
                expected_routes=row.expected_routes,
            )
            for row in selected
        ),
        batch_size=1000,
    )
    transaction.on_commit(lambda: tasks.send_advance(experiment.pk))
    return experiment


def _check_scorers(specs: Sequence[ScorerSpec], fields: Sequence[str], team: Team) -> None:
    judge = next((spec for spec in specs if spec.name == JUDGE), None)
    if judge is not None and "graph" in judge.options:
        raise Invalid(
            "a judge graph is not supported in the web app yet; give the judge a model "
            "(model=<catalog key>)",
            code="scorer_not_supported",
            field="scorers",
        )
    problems = find_scorer_problems(specs, fields)
    if judge is not None and not problems:
        problems = _judge_problems(judge, team)
    if problems:
        raise Invalid(
            problems[0] if len(problems) == 1 else f"{len(problems)} problems: {problems[0]}; ...",
            code="invalid_scorers",
            field="scorers",
            problems=problems,
        )


def _judge_problems(judge: ScorerSpec, team: Team) -> list[str]:
    """What is wrong with a judge's ``model``: missing, unknown to the server for ``team`` (the
    built-in catalog and the team's endpoints), or a model that does not write text."""
    model = judge.options.get("model")
    if model is None:
        return ["judge: needs model=<catalog key>, the model that grades the answers"]
    kinds = catalog.model_kinds_for_team(team)
    if model not in kinds:
        known = ", ".join(sorted(key for key, kind in kinds.items() if kind != "clip"))
        return [f"judge: model '{model}' is not a model this server knows (known: {known})"]
    if kinds[model] == "clip":
        return [f"judge: model '{model}' is a CLIP model; a judge must be a model that writes text"]
    return []


def _check_routing_only(specs: Sequence[ScorerSpec], asked: bool | None, spec: Any) -> bool:
    if asked is None:
        asked = routing_only_default(specs)
    elif asked and not routing_only_default(specs):
        readers = needs_answers(specs)
        raise Invalid(
            "a routing-only experiment stops at the routers, but "
            + (
                f"scorer{'s' if len(readers) > 1 else ''} {', '.join(readers)} "
                f"read{'' if len(readers) > 1 else 's'} the graph's answer"
                if readers
                else "it has no scorer"
            ),
            code="not_routing_only",
            field="routing_only",
        )
    if asked and not spec.nodes_of_kind("router"):
        raise Invalid(
            "the graph has no router: a routing-only experiment would decide nothing",
            code="no_router",
            field="routing_only",
        )
    return asked


def _select_rows(dataset: Dataset, sample: int | None, seed: int, spec: Any) -> list[_Selected]:
    """The rows drawn, with their expected routes; ``Invalid`` (``invalid_routes``) listing the
    rows whose ``route`` cannot be resolved against ``spec``."""
    indices = set(sample_indices(dataset.row_count, sample, seed))
    check_routes = "route" in dataset.fields
    rows = DatasetRow.objects.filter(dataset=dataset).order_by("index")
    selected: list[_Selected] = []
    problems: list[str] = []
    for row_id, index, data in rows.values_list("pk", "index", "data"):
        if index not in indices:
            continue
        route = data.get("route")
        expected: dict[str, str] = {}
        if check_routes and route is not None:
            expected, found = resolve_expected_routes(route, spec)
            problems += [f"row {index}: {problem}" for problem in found]
        selected.append(_Selected(row_id, index, expected))
    if problems:
        raise Invalid(
            f"{len(problems)} row{'s' if len(problems) != 1 else ''} name a route the graph does "
            f"not have; {problems[0]}",
            code="invalid_routes",
            field="dataset",
            problems=problems[:MAX_ROUTE_PROBLEMS],
        )
    return selected


# --- the driver -------------------------------------------------------------------------------


def experiment_advance(*, experiment_id: int) -> None:
    """Go on with an experiment (task ``evaluation.advance_experiment``; the resume sweep):
    mark a queued one running, score its running rows whose run finished unnoticed, start
    pending rows up to ``concurrency`` runs, and complete it when every row is scored. Does
    nothing for a finished experiment."""
    with transaction.atomic():
        experiment = _locked(experiment_id)
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
            _save(experiment)


def experiment_row_finished(*, run_id: int) -> None:
    """Score the row of run ``run_id`` (its ``on_finish`` task), then start the next pending row.
    Does nothing when the run is no experiment's, has not finished, its row is already scored
    or its experiment has finished."""
    found = ExperimentRow.objects.filter(run_id=run_id).values_list("pk", "experiment_id").first()
    if found is None:
        return
    row_id, experiment_id = found
    with transaction.atomic():
        experiment = _locked(experiment_id)
        if experiment is None or experiment.finished:
            return
        row = _locked_rows(experiment).filter(pk=row_id, status=RowStatus.RUNNING).first()
        if row is None or row.run is None or not row.run.finished:
            return
        _score(experiment, row)
        _start_rows(experiment)
        _complete_if_done(experiment)
        _save(experiment)


def experiment_row_judged(*, row_id: int, score: Any) -> None:
    """Store the judge's ``score`` (``Score`` JSON, from ``evaluation.row_judged``) of a judging
    row, complete the row and start the next pending one. A reply for a row that is no longer
    judging (delivered twice, a late reply to a job sent again, a row of a cancelled experiment)
    is ignored: a row's judge score is stored exactly once, under the experiment's lock."""
    found = ExperimentRow.objects.filter(pk=row_id).values_list("experiment_id", flat=True).first()
    if found is None:
        return
    with transaction.atomic():
        experiment = _locked(found)
        if experiment is None or experiment.finished:
            return
        row = _locked_rows(experiment).filter(pk=row_id, status=RowStatus.JUDGING).first()
        if row is None:
            return
        _complete(experiment, row, {**(row.scores or {}), JUDGE: _judge_score(score)})
        _start_rows(experiment)
        _complete_if_done(experiment)
        _save(experiment)


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


def experiment_cancel(*, experiment: Experiment, actor: AnyUser) -> Experiment:
    """Cancel an experiment (its creator, or an editor): its runs under way are cancelled, and
    their rows, like the pending ones, stay unscored (``pending``; a row keeps its run). A
    finished experiment is returned unchanged."""
    membership = require_role(
        user=actor, team=experiment.graph.team, role=Role.VIEWER, what="experiment"
    )
    if experiment.created_by_id != actor.pk and not Role(membership.role).allows(Role.EDITOR):
        raise Forbidden(
            "only the experiment's creator or an editor may cancel it",
            required_role=Role.EDITOR.value,
        )
    reason = f"cancelled by {actor.get_username()}"
    with transaction.atomic():
        locked = _locked(experiment.pk)
        if locked is None or locked.finished:
            return selectors.experiment_by_id(experiment.pk) if locked else experiment
        under_way = _locked_rows(locked).filter(status__in=UNDER_WAY)
        for row in under_way.select_related("run__graph__team"):
            if row.status == RowStatus.JUDGING:
                # Its run finished; its judge's reply will find the experiment cancelled.
                _unjudge(row)
                continue
            if row.run is not None:
                runs.run_cancel(run=row.run, actor=actor, reason=f"experiment {locked.pk} {reason}")
            row.status = RowStatus.PENDING
            row.save(update_fields=["status"])
        _finish(locked, ExperimentStatus.CANCELLED, reason)
        _save(locked)
    return selectors.experiment_by_id(experiment.pk)


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


def _locked(experiment_id: int) -> Experiment | None:
    experiments = Experiment.objects.select_for_update(of=("self",)).select_related(
        "graph__team", "version", "created_by"
    )
    return experiments.filter(pk=experiment_id).first()


def _locked_rows(experiment: Experiment) -> Any:
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
    rows = _locked_rows(experiment).filter(status=RowStatus.RUNNING)
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
    rows = _locked_rows(experiment).filter(status=RowStatus.JUDGING)
    stuck = list(rows.filter(Q(judge_sent_at__lt=late) | Q(judge_sent_at__isnull=True)))
    for row in stuck:
        if judge is None or row.judge_attempts >= MAX_JUDGE_SENDS:
            queue = node_queue(str(judge.options.get("model"))) if judge else "(none)"
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
        pending = list(_locked_rows(experiment).filter(status=RowStatus.PENDING)[:free])
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


def _send_judge(judge: ScorerSpec, row: ExperimentRow) -> None:
    """Send (again) the judge job of a judging row to its model's queue, after the commit:
    question = the row's input, answer = its run's output, reference = its ``expected`` (or
    ``metadata.reference``). The caller holds the row's lock."""
    data = RowData.from_json(row.dataset_row.data)
    reference = data.expected or data.metadata.get("reference")
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
    transaction.on_commit(partial(tasks.send_judge, row.pk, job, queue=node_queue(model)))


def _unjudge(row: ExperimentRow) -> None:
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
        _finish(experiment, ExperimentStatus.COMPLETED, "")


def _fail(experiment: Experiment, reason: str) -> None:
    _finish(experiment, ExperimentStatus.FAILED, reason)


def _finish(experiment: Experiment, status: ExperimentStatus, error: str) -> None:
    """End the experiment with its final summary (the caller saves it)."""
    experiment.status = status
    experiment.error = error
    experiment.finished_at = timezone.now()
    _summarize(experiment)


def _save(experiment: Experiment) -> None:
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
