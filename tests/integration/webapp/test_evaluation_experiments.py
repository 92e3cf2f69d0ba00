"""Experiments in-process: starting one through the API (and every refusal, with its reason), the
driver on hand-finished runs (concurrency, scoring exactly once whatever the notices do, the
resume sweep, failures, cancel), the rows endpoint's filters, compare and Pareto.

Runs are created by the real driver but never start here (no worker: their start task is sent
after a commit that the test's transaction never makes); ``finish`` writes the trace a run would
have stored and marks it finished, as the runs app does. ``test_evaluation_stack.py`` runs
experiments on real Celery workers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from graphs.evaluation.experiment import sample_indices
from graphs.evaluation.scorers import ScorerSpec
from tests.integration.webapp.conftest import MODEL
from webapp.accounts import services as accounts
from webapp.accounts.models import Membership, Team
from webapp.catalog import services as catalog
from webapp.evaluation import driver, services
from webapp.evaluation import tasks as evaluation_tasks
from webapp.evaluation.models import Dataset, Experiment, ExperimentRow
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import Run, RunEvent
from workers.celery_app import ENDPOINTS_QUEUE

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TARGETS = ("a", "b", "c")


def routed_spec(worker_model: str = MODEL, *, mode: str = "functional-token") -> dict[str, Any]:
    """input -> router (functional-token: the fake backend picks token k for ``<nexa_k>`` in the
    query, token 0 when there is none) -> workers a, b, c (tokens 0, 1, 2; labels Alpha, Beta,
    Gamma) -> output."""
    router: dict[str, Any] = {"model": MODEL, "mode": mode}
    if mode == "functional-token":
        router["adapter"] = "fake-router"
    nodes = [
        {"id": "q", "kind": "input", "config": {}},
        {"id": "router", "kind": "router", "config": router},
        *(
            {
                "id": target,
                "kind": "model",
                "label": label,
                "config": {"model": worker_model},
            }
            for target, label in zip(TARGETS, ("Alpha", "Beta", "Gamma"), strict=True)
        ),
        {"id": "out", "kind": "output", "config": {}},
    ]
    edges = [{"id": "e-in", "source": "q", "target": "router"}]
    for token, target in enumerate(TARGETS):
        edges.append(
            {
                "id": f"e-{target}",
                "source": "router",
                "target": target,
                "data": {"token": token, "description": f"questions for {target}"},
            }
        )
        edges.append({"id": f"e-{target}-out", "source": target, "target": "out"})
    return {"spec": 1, "nodes": nodes, "edges": edges}


def routed_graph(team: Team, owner: User, worker_model: str = MODEL) -> Graph:
    return graphstore.graph_create(
        team=team, actor=owner, name="Routed", spec=routed_spec(worker_model)
    )


def make_dataset(team: Team, owner: User, rows: list[dict[str, Any]], name: str = "d") -> Dataset:
    content = "\n".join(json.dumps(row) for row in rows).encode()
    return services.dataset_upload(
        team=team, actor=owner, file=SimpleUploadedFile(f"{name}.jsonl", content), name=name
    )


# Rows with known answers: the fake router picks token k for "<nexa_k>", token 0 (a) without one.
ROUTE_ROWS = [
    {"input": "first <nexa_0>", "route": "a", "expected": "x"},
    {"input": "second <nexa_1>", "route": "Beta", "expected": "x"},
    {"input": "third <nexa_2>", "route": "b", "expected": "x"},  # misrouted to c
    {"input": "fourth", "route": "c", "expected": "x"},  # no token: a
    {"input": "fifth <nexa_2>", "route": {"router": "c"}, "expected": "x"},
]
KNOWN_CONFUSION = {"a": {"a": 1}, "b": {"b": 1, "c": 1}, "c": {"a": 1, "c": 1}}


def fake_route(text: str) -> str:
    """The target the fake backend's functional-token router picks for ``text``."""
    for token, target in enumerate(TARGETS):
        if f"<nexa_{token}>" in text:
            return target
    return "a"


def finish(
    run: Run,
    *,
    chosen: Mapping[str, str] | None = None,
    output: str = "",
    status: str = "completed",
    latency_ms: int = 100,
    model: str | None = None,
) -> None:
    """Store the trace a run of the routed graph would have left, and mark it finished
    (``model``: the one its worker ``a`` named in ``node.started``)."""
    at = iter(range(10_000))
    drafts: list[tuple[str, str | None, dict[str, Any]]] = [("run.started", None, {})]
    for router, target in (chosen or {}).items():
        scores = {t: (0.8 if t == target else 0.1) for t in TARGETS}
        drafts.append(("router.decision", router, {"target": target, "scores": scores}))
    terminal: tuple[str, str | None, dict[str, Any]]
    if status == "completed":
        if model is not None:
            drafts.append(("node.started", "a", {"kind": "model", "model": model}))
        drafts.append(("node.completed", "a", {"latency_ms": 10, "tokens_in": 3, "tokens_out": 2}))
        terminal = ("run.completed", None, {"output": output, "tokens_in": 3, "tokens_out": 2})
    else:
        terminal = ("run.failed", None, {"error": "the model host is down", "node": "router"})
    events = [
        RunEvent(
            run=run,
            seq=seq,
            ts=(T0 + timedelta(milliseconds=next(at))).isoformat(),
            type=kind,
            node=node,
            data=data,
        )
        for seq, (kind, node, data) in enumerate(drafts, start=1)
    ]
    events.append(
        RunEvent(
            run=run,
            seq=len(events) + 1,
            ts=(T0 + timedelta(milliseconds=latency_ms)).isoformat(),
            type=terminal[0],
            node=terminal[1],
            data=terminal[2],
        )
    )
    RunEvent.objects.bulk_create(events)
    run.status = status
    run.output = output
    run.finished_at = T0 + timedelta(milliseconds=latency_ms)
    run.save()


def running_rows(experiment: Experiment) -> list[ExperimentRow]:
    return list(
        ExperimentRow.objects.filter(experiment=experiment, status="running")
        .select_related("run")
        .order_by("index")
    )


def run_through(
    experiment: Experiment,
    decide: Callable[[str], str] = fake_route,
    *,
    latency_ms: int = 100,
    output: Callable[[str], str] = lambda text: "x",
) -> Experiment:
    """Drive ``experiment`` to its end as the workers would: finish each run the driver starts
    (the router choosing ``decide(input)``) and deliver its notice."""
    driver.experiment_advance(experiment_id=experiment.pk)
    while rows := running_rows(experiment):
        for row in rows:
            assert row.run is not None
            finish(
                row.run,
                chosen={"router": decide(row.run.input)},
                output=output(row.run.input),
                latency_ms=latency_ms,
            )
            driver.experiment_row_finished(run_id=row.run.pk)
    experiment.refresh_from_db()
    return experiment


@pytest.fixture
def routed(team: Team, owner: User) -> Graph:
    return routed_graph(team, owner)


@pytest.fixture
def routes(team: Team, owner: User) -> Dataset:
    return make_dataset(team, owner, ROUTE_ROWS, "routes")


def team_endpoint(team: Team, owner: User, key: str, **extra: Any) -> None:
    """Register ``key`` as one of ``team``'s endpoint models, at an address nothing answers
    (the tests never call it)."""
    catalog.endpoint_create(
        team=team, actor=owner, key=key, base_url="http://127.0.0.1:9/v1", model_name="m", **extra
    )


def start_via_api(client: APIClient, graph: Graph, dataset: Dataset, **body: Any) -> Any:
    return client.post(
        f"/api/graphs/{graph.pk}/experiments/", {"dataset": dataset.pk, **body}, format="json"
    )


def start(
    graph: Graph,
    actor: User,
    dataset: Dataset,
    scorers: list[str] | None = None,
    **options: Any,
) -> Experiment:
    """``services.experiment_start`` with scorers by name."""
    specs = None if scorers is None else [ScorerSpec(name) for name in scorers]
    return services.experiment_start(
        graph=graph, actor=actor, dataset=dataset, scorers=specs, **options
    )


# --- starting --------------------------------------------------------------------------------


def test_a_viewer_starts_an_experiment_scored_as_the_datasets_fields_allow(
    as_viewer: APIClient, routed: Graph, routes: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as sent:
        response = start_via_api(as_viewer, routed, routes)
    assert response.status_code == 201, response.content
    assert len(sent) == 1  # the advance task, after the commit
    body = response.json()
    assert body["status"] == "queued"
    assert (body["version"], body["dataset"]) == (1, {"id": routes.pk, "name": "routes"})
    assert body["scorers"] == [{"name": "route"}, {"name": "exact"}]
    assert body["routing_only"] is False
    assert (body["sample"], body["seed"], body["concurrency"]) == (None, 0, 8)
    assert body["progress"] == {
        "done": 0,
        "total": 5,
        "failed": 0,
        "running": 0,
        "elapsed_s": 0.0,
        "eta_s": None,
    }
    assert body["summary"] is None
    assert body["created_by"] == "vera"
    experiment = Experiment.objects.get(pk=body["id"])
    rows = {row.index: row.expected_routes for row in experiment.rows.all()}
    assert rows == {
        0: {"router": "a"},
        1: {"router": "b"},
        2: {"router": "b"},
        3: {"router": "c"},
        4: {"router": "c"},
    }


def test_only_routing_scorers_make_a_routing_only_experiment(
    as_viewer: APIClient, routed: Graph, routes: Dataset
) -> None:
    body = start_via_api(as_viewer, routed, routes, scorers=["route"], concurrency=3).json()
    assert (body["routing_only"], body["concurrency"]) == (True, 3)


def test_a_sample_is_drawn_with_its_seed(
    routed: Graph, team: Team, owner: User, as_viewer: APIClient
) -> None:
    dataset = make_dataset(team, owner, [{"input": f"q{i}", "expected": "x"} for i in range(20)])

    def drawn(seed: int) -> list[int]:
        body = start_via_api(as_viewer, routed, dataset, sample=5, seed=seed).json()
        assert (body["sample"], body["seed"], body["total"]) == (5, seed, 5)
        return list(
            ExperimentRow.objects.filter(experiment_id=body["id"])
            .order_by("index")
            .values_list("index", flat=True)
        )

    assert drawn(3) == drawn(3) == sample_indices(20, 5, 3)
    assert drawn(4) != drawn(3)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"scorers": ["nope"]}, "invalid_scorers", "unknown scorer 'nope'"),
        ({"scorers": ["choice"]}, "invalid_scorers", "needs the fields answer, choices"),
        ({"scorers": ["judge"]}, "invalid_scorers", "judge: needs model=<catalog key>"),
        (
            {"scorers": [{"name": "judge", "model": "nope"}]},
            "invalid_scorers",
            "judge: model 'nope' is not a model this server knows (known: ",
        ),
        (
            {"scorers": [{"name": "judge", "model": "clip-vit-b-32"}]},
            "invalid_scorers",
            "judge: model 'clip-vit-b-32' is a CLIP model",
        ),
        (
            {"scorers": [{"name": "judge", "graph": 3}]},
            "scorer_not_supported",
            "a judge graph is not supported in the web app yet",
        ),
        (
            {"scorers": ["route", "exact"], "routing_only": True},
            "not_routing_only",
            "scorer exact reads the graph's answer",
        ),
        ({"scorers": [{"tolerance": 1}]}, "invalid_input", "Some fields are invalid"),
        ({"version": 2}, "not_found", "graph has no version 2"),
    ],
)
def test_a_bad_start_is_refused_with_the_reason(
    as_viewer: APIClient,
    routed: Graph,
    routes: Dataset,
    body: dict[str, Any],
    code: str,
    message: str,
) -> None:
    response = start_via_api(as_viewer, routed, routes, **body)
    assert response.status_code in (400, 404), response.content
    assert response.json()["code"] == code
    assert message in response.json()["message"] + " ".join(response.json().get("problems", []))
    assert not Experiment.objects.exists()


def test_rows_naming_a_route_the_graph_lacks_are_listed(
    as_viewer: APIClient, routed: Graph, team: Team, owner: User
) -> None:
    dataset = make_dataset(
        team,
        owner,
        [
            {"input": "one", "route": "a"},
            {"input": "two", "route": "nowhere"},
            {"input": "three", "route": {"other": "a"}},
        ],
    )
    response = start_via_api(as_viewer, routed, dataset)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_routes"
    assert body["problems"] == [
        "row 1: route 'nowhere' is not a target of any router (targets: a, b, c)",
        "row 2: route names 'other', which is not a router (routers: router)",
    ]


def test_a_routing_only_experiment_needs_a_router(
    as_viewer: APIClient, graph: Graph, routes: Dataset
) -> None:
    response = start_via_api(as_viewer, graph, routes, scorers=["exact"], routing_only=True)
    assert response.json()["code"] == "not_routing_only"
    response = start_via_api(as_viewer, graph, routes, scorers=["route"])
    assert response.status_code == 400
    assert response.json()["code"] == "no_router"


def test_a_dataset_of_another_team_is_not_found(
    as_editor: APIClient, routed: Graph, editor: User
) -> None:
    elsewhere = make_dataset(editor.personal_team, editor, ROUTE_ROWS)
    response = start_via_api(as_editor, routed, elsewhere)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "dataset not found"}


# --- the driver ------------------------------------------------------------------------------


def test_the_driver_keeps_concurrency_runs_under_way_until_every_row_is_scored(
    routed: Graph, routes: Dataset, viewer: User, as_viewer: APIClient
) -> None:
    experiment = start(routed, viewer, routes, scorers=None, concurrency=2)
    driver.experiment_advance(experiment_id=experiment.pk)
    experiment.refresh_from_db()
    assert experiment.status == "running"
    assert experiment.started_at is not None
    first = running_rows(experiment)
    assert [row.index for row in first] == [0, 1]
    run = first[0].run
    assert run is not None
    assert (run.input, run.routing_only, run.on_finish) == (
        "first <nexa_0>",
        False,
        "evaluation.row_finished",
    )
    assert (run.created_by, run.version.number) == (viewer, 1)

    finish(run, chosen={"router": "a"}, output="x")
    driver.experiment_row_finished(run_id=run.pk)
    assert [row.index for row in running_rows(experiment)] == [1, 2]
    progress = as_viewer.get(f"/api/experiments/{experiment.pk}/").json()["progress"]
    assert (progress["done"], progress["running"], progress["total"]) == (1, 2, 5)
    assert progress["eta_s"] is not None

    experiment = run_through(experiment)
    assert (experiment.status, experiment.done, experiment.failed) == ("completed", 5, 0)
    assert experiment.finished_at is not None
    body = as_viewer.get(f"/api/experiments/{experiment.pk}/").json()
    summary = body["summary"]
    assert summary["rows"] == 5
    assert summary["routers"]["router"]["confusion"] == KNOWN_CONFUSION
    assert summary["routers"]["router"]["accuracy"] == 0.6
    assert summary["metrics"] == {"route": 0.6, "exact": 1.0}
    assert summary["latency_ms"]["p50"] == 100
    assert body["progress"]["eta_s"] == 0
    assert body["progress"]["running"] == 0


def test_a_notice_delivered_twice_scores_the_row_once(
    routed: Graph, routes: Dataset, viewer: User
) -> None:
    experiment = start(routed, viewer, routes, concurrency=1)
    driver.experiment_advance(experiment_id=experiment.pk)
    [row] = running_rows(experiment)
    assert row.run is not None
    finish(row.run, chosen={"router": "a"}, output="x")
    driver.experiment_row_finished(run_id=row.run.pk)
    driver.experiment_row_finished(run_id=row.run.pk)
    experiment.refresh_from_db()
    assert (experiment.done, experiment.failed) == (1, 0)
    assert [r.index for r in running_rows(experiment)] == [1]  # one next row, not two
    assert Run.objects.count() == 2


def test_a_lost_notice_is_scored_by_the_resume_sweep_exactly_once(
    routed: Graph, routes: Dataset, viewer: User
) -> None:
    experiment = start(routed, viewer, routes, concurrency=2)
    driver.experiment_advance(experiment_id=experiment.pk)
    rows = running_rows(experiment)
    for row in rows:
        assert row.run is not None
        finish(row.run, chosen={"router": "a"}, output="x")  # notices lost: never delivered
    assert driver.experiments_resume() == [experiment.pk]
    experiment.refresh_from_db()
    assert (experiment.done, experiment.status) == (2, "running")
    assert [r.index for r in running_rows(experiment)] == [2, 3]
    # The notices arrive late, and the sweep runs again: nothing is scored twice.
    for row in rows:
        assert row.run is not None
        driver.experiment_row_finished(run_id=row.run.pk)
    driver.experiments_resume()
    experiment.refresh_from_db()
    assert experiment.done == 2
    assert Run.objects.count() == 4
    scored = ExperimentRow.objects.filter(experiment=experiment, status="scored")
    assert sorted(scored.values_list("index", flat=True)) == [0, 1]


def test_a_failed_run_scores_zero_and_counts_as_failed(
    routed: Graph, routes: Dataset, viewer: User, as_viewer: APIClient
) -> None:
    experiment = start(routed, viewer, routes, scorers=[], concurrency=5)
    driver.experiment_advance(experiment_id=experiment.pk)
    for row in running_rows(experiment):
        assert row.run is not None
        finish(row.run, status="failed" if row.index == 1 else "completed", output="x")
        driver.experiment_row_finished(run_id=row.run.pk)
    experiment.refresh_from_db()
    assert (experiment.status, experiment.done, experiment.failed) == ("completed", 5, 1)
    rows = as_viewer.get(f"/api/experiments/{experiment.pk}/rows/?status=failed").json()
    assert rows["count"] == 1
    assert rows["rows"][0]["outcome"] == "failed"
    assert rows["rows"][0]["error"] == "the model host is down"


def test_a_row_whose_run_cannot_be_created_fails_with_the_reason(
    routed: Graph, team: Team, owner: User, viewer: User
) -> None:
    dataset = make_dataset(
        team, owner, [{"input": "x" * 100_001, "expected": "x"}, {"input": "ok", "expected": "x"}]
    )
    experiment = start(routed, viewer, dataset, concurrency=1)
    driver.experiment_advance(experiment_id=experiment.pk)
    experiment.refresh_from_db()
    assert (experiment.done, experiment.failed) == (1, 1)
    failed = ExperimentRow.objects.get(experiment=experiment, index=0)
    assert (failed.status, failed.run) == ("scored", None)
    assert failed.observation["error"] == "the input is longer than 100000 characters"
    assert failed.scores == {
        "exact": {"value": 0.0, "detail": {"error": failed.observation["error"]}}
    }
    assert [r.index for r in running_rows(experiment)] == [1]


def test_an_experiment_fails_once_its_creator_may_no_longer_run_the_graph(
    routed: Graph, routes: Dataset, viewer: User, owner: User, team: Team
) -> None:
    experiment = start(routed, viewer, routes, concurrency=1)
    membership = Membership.objects.get(team=team, user=viewer)
    accounts.membership_remove(membership=membership, actor=owner)
    driver.experiment_advance(experiment_id=experiment.pk)
    experiment.refresh_from_db()
    assert experiment.status == "failed"
    assert experiment.error == "its creator may no longer run the graph: graph not found"
    assert not Run.objects.exists()


def test_cancelling_stops_the_runs_under_way_and_leaves_the_rest_unscored(
    routed: Graph,
    routes: Dataset,
    viewer: User,
    bystander: User,
    client_for: Callable[[User], APIClient],
) -> None:
    experiment = start(routed, viewer, routes, concurrency=2)
    driver.experiment_advance(experiment_id=experiment.pk)
    under_way = [row.run for row in running_rows(experiment)]

    refused = client_for(bystander).post(f"/api/experiments/{experiment.pk}/cancel/")
    assert refused.status_code == 403
    response = client_for(viewer).post(f"/api/experiments/{experiment.pk}/cancel/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["error"]) == ("cancelled", "cancelled by vera")
    assert body["progress"]["running"] == 0
    for run in under_way:
        assert run is not None
        run.refresh_from_db()
        assert run.status == "cancelled"
        assert run.error == f"experiment {experiment.pk} cancelled by vera"
        driver.experiment_row_finished(run_id=run.pk)  # the runs' notices change nothing
    statuses = ExperimentRow.objects.filter(experiment=experiment).values_list("status", flat=True)
    assert set(statuses) == {"pending"}
    experiment.refresh_from_db()
    assert (experiment.status, experiment.done) == ("cancelled", 0)
    again = client_for(viewer).post(f"/api/experiments/{experiment.pk}/cancel/").json()
    assert again["revision"] == body["revision"]


def test_a_dataset_in_use_cannot_be_deleted_until_its_experiment_ends(
    routed: Graph, routes: Dataset, owner: User, as_editor: APIClient
) -> None:
    experiment = start(routed, owner, routes)
    response = as_editor.delete(f"/api/datasets/{routes.pk}/")
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["experiment"]) == (
        "dataset_in_use",
        experiment.pk,
    )
    services.experiment_cancel(experiment=experiment, actor=owner)
    assert as_editor.delete(f"/api/datasets/{routes.pk}/").status_code == 204
    assert not Experiment.objects.exists()


def test_a_graphs_experiments_are_listed_newest_first_and_by_dataset(
    routed: Graph, routes: Dataset, team: Team, owner: User, as_viewer: APIClient
) -> None:
    other = make_dataset(team, owner, ROUTE_ROWS, "other")
    first = start(routed, owner, routes)
    second = start(routed, owner, other)
    url = f"/api/graphs/{routed.pk}/experiments/"
    assert [e["id"] for e in as_viewer.get(url).json()] == [second.pk, first.pk]
    assert [e["id"] for e in as_viewer.get(f"{url}?dataset={routes.pk}").json()] == [first.pk]


# --- rows, compare, Pareto --------------------------------------------------------------------


@pytest.fixture
def finished(routed: Graph, routes: Dataset, owner: User) -> Experiment:
    return run_through(start(routed, owner, routes, scorers=["route"], concurrency=2))


def test_the_rows_of_a_confusion_cell_are_listed_with_their_runs(
    finished: Experiment, as_viewer: APIClient
) -> None:
    url = f"/api/experiments/{finished.pk}/rows/"
    cell = as_viewer.get(f"{url}?router=router&expected=b&chosen=c").json()
    assert cell["count"] == 1
    [row] = cell["rows"]
    assert (row["index"], row["input"], row["status"]) == (2, "third <nexa_2>", "scored")
    assert row["expected_routes"] == {"router": "b"}
    assert row["decisions"] == {"router": {"target": "c", "probability": 0.8}}
    assert row["scores"]["route"]["value"] == 0.0
    assert row["run"] == ExperimentRow.objects.get(experiment=finished, index=2).run_id
    assert row["latency_ms"] == 100

    # One router: it need not be named.
    assert as_viewer.get(f"{url}?expected=c").json()["count"] == 2
    wrong = as_viewer.get(f"{url}?scorer=route&value=0").json()
    assert [r["index"] for r in wrong["rows"]] == [2, 3]
    page = as_viewer.get(f"{url}?offset=1&limit=2").json()
    assert (page["count"], [r["index"] for r in page["rows"]]) == (5, [1, 2])
    assert as_viewer.get(f"{url}?limit=501").status_code == 400
    assert as_viewer.get(f"{url}?value=1").json()["code"] == "invalid_filter"
    assert as_viewer.get(f"{url}?status=pending").json()["count"] == 0


def test_two_experiments_on_a_dataset_are_compared_row_by_row(
    finished: Experiment, routed: Graph, routes: Dataset, owner: User, as_viewer: APIClient
) -> None:
    better = run_through(
        start(routed, owner, routes, scorers=["route"]),
        decide=lambda text: {"third": "b", "fourth": "c"}.get(text.split()[0], fake_route(text)),
    )
    body = as_viewer.get(f"/api/experiments/compare/?ids={finished.pk},{better.pk}").json()
    assert body["base"] == finished.pk
    assert body["dataset"] == {"id": routes.pk, "name": "routes"}
    assert [e["id"] for e in body["experiments"]] == [finished.pk, better.pk]
    metric = body["metrics"][str(better.pk)]["route"]
    assert (metric["a"], metric["b"], metric["delta"], metric["test"]) == (
        0.6,
        1.0,
        0.4,
        "mcnemar",
    )
    assert [row["index"] for row in body["changed"]] == [2, 3]
    changed = body["changed"][0]
    assert changed["input"] == "third <nexa_2>"
    assert changed["scores"] == {
        str(finished.pk): {"route": 0.0},
        str(better.pk): {"route": 1.0},
    }
    assert set(changed["runs"]) == {str(finished.pk), str(better.pk)}


def test_compare_refuses_experiments_on_different_datasets(
    finished: Experiment,
    routed: Graph,
    team: Team,
    owner: User,
    as_viewer: APIClient,
    as_outsider: APIClient,
) -> None:
    other = start(routed, owner, make_dataset(team, owner, ROUTE_ROWS, "other"))
    response = as_viewer.get(f"/api/experiments/compare/?ids={finished.pk},{other.pk}")
    assert response.status_code == 400
    assert response.json()["code"] == "different_datasets"
    assert (
        as_outsider.get(f"/api/experiments/compare/?ids={finished.pk},{other.pk}").status_code
        == 404
    )
    assert as_viewer.get(f"/api/experiments/compare/?ids={finished.pk}").status_code == 400


def test_the_pareto_plot_has_every_completed_experiment_and_its_frontiers(
    finished: Experiment, routed: Graph, routes: Dataset, owner: User, as_viewer: APIClient
) -> None:
    slow_perfect = run_through(
        start(routed, owner, routes, scorers=["route"]),
        decide=lambda text: ExperimentRow.objects.get(
            experiment__status="running", run__input=text
        ).expected_routes["router"],
        latency_ms=300,
    )
    fast_worse = run_through(
        start(routed, owner, routes, scorers=["route"]), decide=lambda text: "a", latency_ms=50
    )
    start(routed, owner, routes, scorers=["route"])  # queued: not a point
    body = as_viewer.get(f"/api/datasets/{routes.pk}/pareto/").json()
    assert body["metric"] == "route"
    points = {p["experiment"]: p for p in body["points"]}
    assert set(points) == {finished.pk, slow_perfect.pk, fast_worse.pk}
    assert points[slow_perfect.pk]["quality"] == 1.0
    assert points[slow_perfect.pk]["latency_p50"] == 300
    assert points[slow_perfect.pk]["label"] == f"Routed v1 (#{slow_perfect.pk})"
    assert points[fast_worse.pk]["quality"] == 0.2
    # finished (0.6 at 100 ms) is between the two on latency; every point has the same tokens.
    assert body["frontier"]["latency"] == [fast_worse.pk, finished.pk, slow_perfect.pk]
    assert body["frontier"]["tokens"] == [slow_perfect.pk]
    assert as_viewer.get(f"/api/datasets/{routes.pk}/pareto/?metric=exact").json()["points"] == []


# --- the judge scorer ---------------------------------------------------------------------------

JUDGE_ROWS = [
    {"input": "first", "expected": "x"},
    {"input": "second", "expected": "x"},
    {"input": "third", "metadata": {"reference": "a reference"}},
]


def judge_jobs(callbacks: list[Any]) -> list[tuple[int, dict[str, Any], str]]:
    """The judge jobs among the on-commit callbacks: (row id, job, queue) each."""
    return [
        (callback.args[0], callback.args[1], callback.keywords["queue"])
        for callback in callbacks
        if isinstance(callback, partial) and callback.func is evaluation_tasks.send_judge
    ]


@pytest.fixture
def judged(routed: Graph, team: Team, owner: User, viewer: User) -> Experiment:
    """An experiment on ``JUDGE_ROWS`` scored by exact and a judge (every row under way)."""
    dataset = make_dataset(team, owner, JUDGE_ROWS, "judged")
    specs = [ScorerSpec("exact"), ScorerSpec("judge", {"model": MODEL})]
    experiment = services.experiment_start(
        graph=routed, actor=viewer, dataset=dataset, scorers=specs, concurrency=3
    )
    driver.experiment_advance(experiment_id=experiment.pk)
    return experiment


def row_of(experiment: Experiment, index: int) -> ExperimentRow:
    return ExperimentRow.objects.select_related("run").get(experiment=experiment, index=index)


def test_a_judge_grades_each_completed_run_once_and_a_failed_run_scores_zero(
    judged: Experiment, as_viewer: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [row_of(judged, index) for index in range(3)]
    with django_capture_on_commit_callbacks() as sent:
        for row, status, output in zip(
            rows, ("completed", "failed", "completed"), ("x", "", "an answer"), strict=True
        ):
            assert row.run is not None
            finish(row.run, output=output, status=status)
            driver.experiment_row_finished(run_id=row.run.pk)
    queue = f"model.{MODEL}"
    assert judge_jobs(sent) == [
        (rows[0].pk, {"model": MODEL, "question": "first", "answer": "x", "reference": "x"}, queue),
        (
            rows[2].pk,
            {
                "model": MODEL,
                "question": "third",
                "answer": "an answer",
                "reference": "a reference",
            },
            queue,
        ),
    ]
    first, failed = row_of(judged, 0), row_of(judged, 1)
    assert (first.status, first.judge_attempts) == ("judging", 1)
    assert first.scores == {"exact": {"value": 1.0, "detail": {}}}  # pure scores, judge to come
    assert failed.status == "scored"
    assert failed.scores["judge"] == {"value": 0.0, "detail": {"error": "the model host is down"}}
    body = as_viewer.get(f"/api/experiments/{judged.pk}/").json()
    assert (body["done"], body["failed"], body["progress"]["running"]) == (1, 1, 2)
    listed = as_viewer.get(f"/api/experiments/{judged.pk}/rows/?status=judging").json()
    assert [row["index"] for row in listed["rows"]] == [0, 2]

    grade = {"value": 0.8, "detail": {"grade": 8.0, "judgement": "Rating: [[8]]"}}
    with django_capture_on_commit_callbacks() as sent:
        driver.experiment_row_judged(row_id=first.pk, score=grade)
        driver.experiment_row_judged(row_id=first.pk, score={"value": 0.1})  # delivered twice
    assert judge_jobs(sent) == []
    first = row_of(judged, 0)
    assert (first.status, first.scores["judge"]) == ("scored", grade)
    assert first.scores["exact"]["value"] == 1.0
    judged.refresh_from_db()
    assert (judged.done, judged.status) == (2, "running")

    # A host whose judge failed replies a None score with the reason: the row completes.
    failure = {"value": None, "detail": {"error": "judge 'm' failed: UnknownModelError: nope"}}
    driver.experiment_row_judged(row_id=rows[2].pk, score=failure)
    judged.refresh_from_db()
    assert (judged.status, judged.done, judged.failed) == ("completed", 3, 1)
    assert row_of(judged, 2).scores["judge"] == failure
    assert judged.summary["metrics"]["judge"] == 0.4  # 0.8 and 0 (failed run); None left out
    assert judged.summary["intervals"]["judge"]["n"] == 2


def test_a_bad_judge_reply_scores_none_and_does_not_stick_the_row(judged: Experiment) -> None:
    row = row_of(judged, 0)
    assert row.run is not None
    finish(row.run, output="x")
    driver.experiment_row_finished(run_id=row.run.pk)
    driver.experiment_row_judged(row_id=row.pk, score={"value": 7})  # a grade, not a score
    row = row_of(judged, 0)
    assert row.status == "scored"
    assert row.scores["judge"] == {
        "value": None,
        "detail": {"error": "the judge's score 7.0 is not in [0, 1]"},
    }


def test_a_row_judging_past_the_deadline_is_sent_again_then_scored_none(
    judged: Experiment, django_capture_on_commit_callbacks: Any
) -> None:
    row = row_of(judged, 0)
    assert row.run is not None
    finish(row.run, output="x")
    driver.experiment_row_finished(run_id=row.run.pk)
    with django_capture_on_commit_callbacks() as sent:
        driver.experiments_resume()
    assert judge_jobs(sent) == []  # not late yet

    def late() -> None:
        ExperimentRow.objects.filter(pk=row.pk).update(
            judge_sent_at=row_of(judged, 0).judge_sent_at
            - driver.JUDGE_DEADLINE
            - timedelta(seconds=1)
        )

    for attempt in range(2, driver.MAX_JUDGE_SENDS + 1):
        late()
        with django_capture_on_commit_callbacks() as sent:
            driver.experiments_resume()
        assert [(row_id, queue) for row_id, _, queue in judge_jobs(sent)] == [
            (row.pk, f"model.{MODEL}")
        ]
        assert row_of(judged, 0).judge_attempts == attempt
    late()
    with django_capture_on_commit_callbacks() as sent:
        driver.experiments_resume()
    assert judge_jobs(sent) == []
    given_up = row_of(judged, 0)
    assert given_up.status == "scored"
    assert given_up.scores["judge"] == {
        "value": None,
        "detail": {
            "error": f"no grade came back from the judge's queue model.{MODEL} after 3 sends"
        },
    }
    driver.experiment_row_judged(row_id=row.pk, score={"value": 1.0})  # too late: ignored
    assert row_of(judged, 0).scores["judge"]["value"] is None
    judged.refresh_from_db()
    assert judged.done == 1


def test_cancelling_puts_judging_rows_back_unscored(judged: Experiment, viewer: User) -> None:
    row = row_of(judged, 0)
    assert row.run is not None
    finish(row.run, output="x")
    driver.experiment_row_finished(run_id=row.run.pk)
    services.experiment_cancel(experiment=judged, actor=viewer)
    row = row_of(judged, 0)
    assert (row.status, row.scores, row.observation) == ("pending", None, None)
    driver.experiment_row_judged(row_id=row.pk, score={"value": 1.0})
    assert row_of(judged, 0).status == "pending"


def test_the_judge_may_be_a_team_endpoint(
    as_viewer: APIClient, routed: Graph, routes: Dataset, team: Team, owner: User
) -> None:
    team_endpoint(team, owner, "team-judge")
    response = start_via_api(
        as_viewer, routed, routes, scorers=[{"name": "judge", "model": "team-judge"}]
    )
    assert response.status_code == 201, response.content
    assert response.json()["scorers"] == [{"name": "judge", "model": "team-judge"}]
    supported = {
        s["name"]: s["supported"] for s in as_viewer.get("/api/evaluation/scorers/").json()
    }
    assert supported["judge"] is True


def test_a_team_endpoints_judge_jobs_go_to_the_runs_workers(
    routed: Graph,
    team: Team,
    owner: User,
    viewer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """No model host serves a team's endpoint: its judge jobs go where its nodes do."""
    team_endpoint(team, owner, "team-judge")
    dataset = make_dataset(team, owner, JUDGE_ROWS[:1], "judged by an endpoint")
    specs = [ScorerSpec("judge", {"model": "team-judge"})]
    experiment = services.experiment_start(
        graph=routed, actor=viewer, dataset=dataset, scorers=specs, concurrency=1
    )
    driver.experiment_advance(experiment_id=experiment.pk)
    row = row_of(experiment, 0)
    assert row.run is not None
    with django_capture_on_commit_callbacks() as sent:
        finish(row.run, output="x", status="completed")
        driver.experiment_row_finished(run_id=row.run.pk)

    (send,) = [c for c in sent if isinstance(c, partial) and c.func is evaluation_tasks.send_judge]
    assert send.keywords == {
        "queue": ENDPOINTS_QUEUE,
        "endpoint": {"team": team.pk, "key": "team-judge"},
    }


# --- cost --------------------------------------------------------------------------------------


def test_the_cost_prices_the_tokens_of_the_models_the_runs_used(
    team: Team, owner: User, viewer: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models_file = tmp_path / "models.json"
    models_file.write_text(
        json.dumps(
            [
                {
                    "key": "filed-model",
                    "display_name": "Filed",
                    "family": "gpt",
                    "kind": "openai",
                    "base_url": "http://127.0.0.1:9/v1",
                    "model_name": "m",
                    "price_per_million_tokens": 1.5,
                }
            ]
        )
    )
    monkeypatch.setenv("OCTOGRAPH_MODELS_FILE", str(models_file))
    team_endpoint(team, owner, "team-model", price_per_million_tokens=200_000.0)
    graph = routed_graph(team, owner, worker_model="team-model")
    dataset = make_dataset(team, owner, [{"input": f"q{i}", "expected": "x"} for i in range(3)])

    def cost(models: list[str]) -> Any:
        experiment = services.experiment_start(
            graph=graph, actor=viewer, dataset=dataset, scorers=[ScorerSpec("exact")]
        )
        driver.experiment_advance(experiment_id=experiment.pk)
        for row, model in zip(running_rows(experiment), models, strict=True):
            assert row.run is not None
            finish(row.run, output="x", model=model)  # worker a: 3 tokens in, 2 out
            driver.experiment_row_finished(run_id=row.run.pk)
        experiment.refresh_from_db()
        assert experiment.status == "completed"
        return experiment.summary["cost"]

    # 5 tokens x $200,000 per million = $1 a row on the team's endpoint; $0.0000075 on the
    # file's model; the built-in model has no price.
    assert cost(["team-model", "team-model", "filed-model"]) == 2.000008
    assert cost([MODEL, MODEL, MODEL]) is None
