"""Writes for evaluation that people make: datasets (upload, built-in copy, from past runs,
delete) and experiments (start, cancel). The driver that runs and scores an experiment's rows is
``webapp.evaluation.driver``.

Datasets are checked whole before anything is stored (``graphs.evaluation.dataset``, then every
row's images as run creation checks them) and stored in one transaction: a bad file is refused
with every problem, nothing half-imported.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

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
)
from graphs.evaluation.routes import resolve_expected_routes
from graphs.evaluation.scorers import (
    ScorerSpec,
    default_scorers,
)
from graphs.evaluation.scorers import scorer_problems as find_scorer_problems
from webapp.accounts.access import require_role
from webapp.accounts.models import Role, Team
from webapp.catalog import selectors as catalog
from webapp.errors import Conflict, Forbidden, Invalid, NotFound
from webapp.evaluation import selectors, tasks
from webapp.evaluation.driver import finish, locked_experiment, locked_rows, save, unjudge
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
from webapp.runs.models import Run, RunStatus

AnyUser = AbstractBaseUser | AnonymousUser
log = logging.getLogger(__name__)

MAX_DATASET_BYTES = 20 * 1024 * 1024
MAX_ROUTE_PROBLEMS = 100
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
        locked = locked_experiment(experiment.pk)
        if locked is None or locked.finished:
            return selectors.experiment_by_id(experiment.pk) if locked else experiment
        under_way = locked_rows(locked).filter(status__in=UNDER_WAY)
        for row in under_way.select_related("run__graph__team"):
            if row.status == RowStatus.JUDGING:
                # Its run finished; its judge's reply will find the experiment cancelled.
                unjudge(row)
                continue
            if row.run is not None:
                runs.run_cancel(run=row.run, actor=actor, reason=f"experiment {locked.pk} {reason}")
            row.status = RowStatus.PENDING
            row.save(update_fields=["status"])
        finish(locked, ExperimentStatus.CANCELLED, reason)
        save(locked)
    return selectors.experiment_by_id(experiment.pk)
