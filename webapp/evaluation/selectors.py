"""Reads for evaluation. A dataset is visible to the members of its team; an experiment exactly
when its graph is (``graphs_visible_to``). Another team's answer 404 like missing ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, FloatField, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from graphs.evaluation.dataset import DatasetRow as RowData
from graphs.evaluation.report import ScoredRow, compare
from graphs.evaluation.scorers import Observation, Score
from graphs.evaluation.stats import pareto_frontier
from webapp.errors import Invalid, NotFound
from webapp.evaluation.models import (
    UNDER_WAY,
    Dataset,
    DatasetRow,
    Experiment,
    ExperimentRow,
    ExperimentStatus,
    RowStatus,
)
from webapp.graphstore.selectors import graphs_visible_to

AnyUser = AbstractBaseUser | AnonymousUser

MAX_CHANGED = 500
"""Compare lists at most this many changed rows (the first by index)."""


# --- datasets ---------------------------------------------------------------------------------


def datasets_visible_to(user: AnyUser) -> QuerySet[Dataset]:
    """Datasets of the user's teams, newest first."""
    return (
        Dataset.objects.filter(team__memberships__user_id=user.pk)
        .select_related("team", "created_by")
        .order_by("-created_at", "-id")
    )


def dataset_for(*, user: AnyUser, dataset_id: int) -> Dataset:
    """A dataset of one of the user's teams; ``NotFound`` for any other id."""
    dataset = datasets_visible_to(user).filter(pk=dataset_id).first()
    if dataset is None:
        raise NotFound("dataset not found")
    return dataset


def dataset_rows(dataset: Dataset, *, offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Rows ``offset`` .. ``offset + limit`` of the dataset, in order: ``{"index", **row}``."""
    rows = DatasetRow.objects.filter(dataset=dataset).order_by("index")[offset : offset + limit]
    return [{"index": row.index, **row.data} for row in rows]


# --- experiments ------------------------------------------------------------------------------


def experiments_of(graph: Any, *, dataset_id: int | None = None) -> QuerySet[Experiment]:
    """The graph's experiments (on dataset ``dataset_id`` only, if given), newest first."""
    experiments = Experiment.objects.filter(graph=graph)
    if dataset_id is not None:
        experiments = experiments.filter(dataset_id=dataset_id)
    return _with_relations(experiments).order_by("-created_at", "-id")


def experiment_for(*, user: AnyUser, experiment_id: int) -> Experiment:
    """An experiment on one of the user's graphs; ``NotFound`` for any other id."""
    experiment = (
        _with_relations(Experiment.objects.filter(pk=experiment_id))
        .filter(graph__in=graphs_visible_to(user).values("pk"))
        .first()
    )
    if experiment is None:
        raise NotFound("experiment not found")
    return experiment


def experiment_by_id(experiment_id: int) -> Experiment:
    """The experiment ``experiment_id`` for a socket that has already checked access to it."""
    return _with_relations(Experiment.objects.filter(pk=experiment_id)).get()


def _with_relations(experiments: QuerySet[Experiment]) -> QuerySet[Experiment]:
    """With what the output shows: related rows, and ``running_count`` (rows under way: a run,
    or a judge, at work)."""
    running = (
        ExperimentRow.objects.filter(experiment=OuterRef("pk"), status__in=UNDER_WAY)
        .values("experiment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        experiments.select_related("graph__team", "version", "dataset", "created_by")
        .defer("version__spec")
        .annotate(running_count=Coalesce(Subquery(running), 0))
    )


def running_rows(experiment: Experiment) -> int:
    """How many of the experiment's rows are under way, their run or their judge at work
    (``running_count`` when the experiment was read with it)."""
    counted = getattr(experiment, "running_count", None)
    if counted is not None:
        return int(counted)
    return ExperimentRow.objects.filter(experiment=experiment, status__in=UNDER_WAY).count()


def progress_of(experiment: Experiment) -> dict[str, Any]:
    """``{done, total, failed, running, elapsed_s, eta_s}``: ``elapsed_s`` since the experiment
    started (until it finished); ``eta_s`` extrapolates the rate of rows scored so far (null
    before the first one, 0 once finished)."""
    elapsed = 0.0
    if experiment.started_at is not None:
        end = experiment.finished_at or timezone.now()
        elapsed = max((end - experiment.started_at).total_seconds(), 0.0)
    eta: float | None = None
    if experiment.finished:
        eta = 0.0
    elif experiment.done and elapsed > 0:
        eta = elapsed / experiment.done * (experiment.total - experiment.done)
    return {
        "done": experiment.done,
        "total": experiment.total,
        "failed": experiment.failed,
        "running": running_rows(experiment),
        "elapsed_s": round(elapsed, 3),
        "eta_s": None if eta is None else round(eta, 3),
    }


def scored_rows(experiment: Experiment) -> list[ScoredRow]:
    """The experiment's scored rows, by index, as ``graphs.evaluation.report`` takes them."""
    rows = (
        ExperimentRow.objects.filter(experiment=experiment, status=RowStatus.SCORED)
        .select_related("dataset_row")
        .order_by("index")
    )
    return [scored_row(row) for row in rows]


def scored_row(row: ExperimentRow) -> ScoredRow:
    """A scored row (with its ``dataset_row`` loaded) as ``graphs.evaluation.report`` takes it."""
    return ScoredRow(
        index=row.index,
        row=RowData.from_json(row.dataset_row.data),
        observation=Observation.from_json(row.observation or {"status": "failed"}),
        scores={name: Score.from_json(score) for name, score in (row.scores or {}).items()},
        expected_routes=row.expected_routes,
    )


@dataclass(frozen=True)
class RowFilter:
    """Which rows of an experiment to list. ``router`` with ``expected`` and/or ``chosen``:
    rows whose router expected / chose that target (``chosen`` is the stored decision's target);
    ``scorer`` (with ``value``: rows that scored exactly that; without: rows it applies to);
    ``status``: ``pending``, ``running``, ``scored`` or ``failed`` (scored, the run did not
    complete)."""

    router: str | None = None
    expected: str | None = None
    chosen: str | None = None
    scorer: str | None = None
    value: float | None = None
    status: str | None = None


def experiment_rows(
    experiment: Experiment, where: RowFilter, *, offset: int = 0, limit: int = 100
) -> tuple[int, list[dict[str, Any]]]:
    """``(count, rows)``: how many rows match ``where``, and rows ``offset`` .. ``offset +
    limit`` of them by index, each as the rows endpoint shows it. ``Invalid`` when ``expected``
    or ``chosen`` is given without ``router`` and the experiment has more than one router, or
    ``value`` without ``scorer``."""
    rows = ExperimentRow.objects.filter(experiment=experiment)
    if where.status == "failed":
        rows = rows.filter(status=RowStatus.SCORED).exclude(outcome="completed")
    elif where.status is not None:
        rows = rows.filter(status=where.status)
    if where.expected is not None or where.chosen is not None:
        router = where.router or _only_router(experiment)
        if where.expected is not None:
            expected = KeyTextTransform(router, "expected_routes")
            rows = rows.annotate(expected_target=Cast(expected, TextField())).filter(
                expected_target=where.expected
            )
        if where.chosen is not None:
            decision = KeyTransform(router, KeyTransform("decisions", "observation"))
            chosen = KeyTextTransform("target", decision)
            rows = rows.annotate(chosen_target=Cast(chosen, TextField())).filter(
                chosen_target=where.chosen
            )
    elif where.router is not None:
        rows = rows.filter(Q(expected_routes__has_key=where.router))
    if where.value is not None and where.scorer is None:
        raise Invalid("filtering by value needs a scorer", code="invalid_filter", field="value")
    if where.scorer is not None:
        value = KeyTextTransform("value", KeyTransform(where.scorer, "scores"))
        rows = rows.annotate(score_value=Cast(value, FloatField())).filter(
            score_value__isnull=False
        )
        if where.value is not None:
            rows = rows.filter(
                score_value__gte=where.value - 1e-9, score_value__lte=where.value + 1e-9
            )
    count = rows.count()
    page = rows.select_related("dataset_row").order_by("index")[offset : offset + limit]
    return count, [_row_output(row) for row in page]


def routers_of(experiment: Experiment) -> list[str]:
    """The ids of the router nodes of the experiment's graph version."""
    nodes = (
        experiment.version.spec.get("nodes", [])
        if isinstance(experiment.version.spec, dict)
        else []
    )
    return [
        str(node.get("id"))
        for node in nodes
        if isinstance(node, dict) and node.get("kind") == "router"
    ]


def _only_router(experiment: Experiment) -> str:
    routers = routers_of(experiment)
    if len(routers) == 1:
        return str(next(iter(routers)))
    raise Invalid(
        "name the router (the experiment has "
        + (f"{len(routers)} routers: {', '.join(sorted(routers))})" if routers else "no router)"),
        code="invalid_filter",
        field="router",
    )


def _row_output(row: ExperimentRow) -> dict[str, Any]:
    data = row.dataset_row.data
    observation = row.observation or {}
    return {
        "index": row.index,
        "input": data["input"],
        "expected": data.get("expected"),
        "choices": data.get("choices"),
        "answer": data.get("answer"),
        "route": data.get("route"),
        "expected_routes": row.expected_routes,
        "metadata": data.get("metadata") or {},
        "status": row.status,
        "outcome": row.outcome or None,
        "run": row.run_id,
        "output": observation.get("output"),
        "error": observation.get("error"),
        "scores": row.scores or {},
        "decisions": {
            router: {"target": decision["target"], "probability": decision["probability"]}
            for router, decision in (observation.get("decisions") or {}).items()
        },
        "latency_ms": observation.get("latency_ms"),
        "tokens_in": observation.get("tokens_in"),
        "tokens_out": observation.get("tokens_out"),
    }


# --- compare and Pareto -----------------------------------------------------------------------


def experiments_compared(*, user: AnyUser, experiment_ids: Sequence[int]) -> dict[str, Any]:
    """Experiments side by side (the first is the base): each other one's metric deltas against
    the base (``graphs.evaluation.report.compare`` on the scorers they share), and the rows
    whose score changed between the base and any other (at most ``MAX_CHANGED``).

    Raises ``NotFound`` for an experiment the user cannot see and ``Invalid``
    (``different_datasets``) when they are not all on the same dataset."""
    experiments = [experiment_for(user=user, experiment_id=pk) for pk in experiment_ids]
    base = experiments[0]
    if any(other.dataset_id != base.dataset_id for other in experiments[1:]):
        raise Invalid(
            "experiments can be compared only on the same dataset; these are on "
            + ", ".join(sorted({f"'{e.dataset.name}' ({e.dataset_id})" for e in experiments})),
            code="different_datasets",
            field="ids",
        )
    scorers = [
        name
        for name in base.scorer_names
        if all(name in other.scorer_names for other in experiments[1:])
    ]
    rows = {experiment.pk: scored_rows(experiment) for experiment in experiments}
    metrics: dict[str, Any] = {}
    changed: set[int] = set()
    for other in experiments[1:]:
        result = compare(rows[base.pk], rows[other.pk], scorers)
        metrics[str(other.pk)] = result["metrics"]
        changed.update(item["index"] for item in result["changed"])
    by_index = {pk: {row.index: row for row in scored} for pk, scored in rows.items()}
    inputs = {
        index: data["input"]
        for index, data in DatasetRow.objects.filter(
            dataset_id=base.dataset_id, index__in=changed
        ).values_list("index", "data")
    }
    runs = {
        experiment.pk: dict(
            ExperimentRow.objects.filter(experiment=experiment, index__in=changed).values_list(
                "index", "run_id"
            )
        )
        for experiment in experiments
    }
    return {
        "dataset": {"id": base.dataset_id, "name": base.dataset.name},
        "experiments": experiments,
        "base": base.pk,
        "scorers": scorers,
        "metrics": metrics,
        "changed": [
            {
                "index": index,
                "input": inputs.get(index, ""),
                "scores": {
                    str(pk): {
                        name: (
                            rows_of[index].scores[name].value
                            if index in rows_of and name in rows_of[index].scores
                            else None
                        )
                        for name in scorers
                    }
                    for pk, rows_of in by_index.items()
                },
                "runs": {str(pk): runs[pk].get(index) for pk in by_index},
            }
            for index in sorted(changed)[:MAX_CHANGED]
        ],
    }


def pareto(*, user: AnyUser, dataset: Dataset, metric: str | None = None) -> dict[str, Any]:
    """Every completed experiment on ``dataset`` that the user can see, as a point (quality =
    its ``metric``; cost = median latency, and mean tokens per row), and the experiments on the
    frontier of each plot (``graphs.evaluation.stats.pareto_frontier``). ``metric`` defaults to
    the first scorer of the newest experiment; experiments without a value for it are left
    out."""
    experiments = list(
        Experiment.objects.filter(
            dataset=dataset,
            status=ExperimentStatus.COMPLETED,
            graph__in=graphs_visible_to(user).values("pk"),
        )
        .select_related("graph", "version")
        .defer("version__spec")
        .order_by("-created_at", "-id")
    )
    if metric is None:
        metric = next((e.scorer_names[0] for e in experiments if e.scorer_names), None)
    points = []
    for experiment in experiments:
        summary = experiment.summary or {}
        quality = (summary.get("metrics") or {}).get(metric) if metric else None
        if quality is None:
            continue
        tokens = summary.get("tokens") or {}
        mean_tokens = (
            (tokens.get("mean_in") or 0) + (tokens.get("mean_out") or 0)
            if tokens.get("mean_in") is not None
            else None
        )
        points.append(
            {
                "experiment": experiment.pk,
                "graph": experiment.graph_id,
                "graph_name": experiment.graph.name,
                "version": experiment.version.number,
                "label": f"{experiment.graph.name} v{experiment.version.number} (#{experiment.pk})",
                "routing_only": experiment.routing_only,
                "quality": quality,
                "latency_p50": (summary.get("latency_ms") or {}).get("p50"),
                "tokens": mean_tokens,
            }
        )

    def frontier(cost: str) -> list[int]:
        placed = [(p["experiment"], p[cost], p["quality"]) for p in points if p[cost] is not None]
        return pareto_frontier(placed)

    return {
        "dataset": dataset.pk,
        "metric": metric,
        "points": points,
        "frontier": {"latency": frontier("latency_p50"), "tokens": frontier("tokens")},
    }
