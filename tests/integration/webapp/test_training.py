"""Router trainings: starting one through the API (and every refusal, with its reason), the
training task on the fake trainer (progress, the adapter it registers in the catalog, failure
reasons), and cancelling. The task runs in-process here (``services.training_run``);
``test_training_stack.py`` runs it on a Celery worker."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from graphs.runtime import BackendError
from graphs.templates import get_template
from webapp.accounts.models import Team
from webapp.catalog import services as catalog
from webapp.catalog.models import RouterAdapter
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.training import services
from webapp.training.models import Training
from workers.backends.fake import FakeBackend
from workers.routing.fake_trainer import FakeTrainer
from workers.routing.job import TrainingModels, TrainingOptions
from workers.routing.trainer import TrainJob, TrainProgress, TrainReport

ROUTER_BASIC = get_template("router-basic").spec()


def router_graph(team: Team, owner: User, spec: dict[str, Any] | None = None) -> Graph:
    spec = copy.deepcopy(spec or ROUTER_BASIC)
    return graphstore.graph_create(team=team, actor=owner, name="Routed", spec=spec)


@pytest.fixture
def routed(team: Team, owner: User) -> Graph:
    return router_graph(team, owner)


@pytest.fixture
def adapters_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OCTOGRAPH_ADAPTERS_DIR", str(tmp_path / "adapters"))
    return tmp_path / "adapters"


def fake_models(train: Callable[..., Any] | None = None) -> TrainingModels:
    return TrainingModels(
        base_folder=lambda entry: entry.key, client=FakeBackend, train=train or FakeTrainer()
    )


def start(graph: Graph, actor: User, **options: Any) -> Training:
    return services.training_start(
        graph=graph, actor=actor, router="router", options=TrainingOptions(**options)
    )


def start_via_api(client: APIClient, graph: Graph, **body: Any) -> Any:
    return client.post(f"/api/graphs/{graph.pk}/trainings/", {"router": "router", **body})


# --- starting --------------------------------------------------------------------------------


def test_an_editor_queues_a_training_of_the_latest_version(
    as_editor: APIClient, routed: Graph
) -> None:
    response = start_via_api(as_editor, routed, epochs=2)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["version"] == 1
    assert body["router"] == "router"
    assert body["options"] == {
        "epochs": 2,
        "examples_per_edge": 40,
        "model_queries_per_edge": 0,
        "validation_fraction": 0.2,
    }
    assert body["progress"] is None
    assert body["adapter"] is None
    assert body["created_by"] == "eddie"


def test_a_node_that_is_not_a_router_is_refused_with_the_reason(
    as_editor: APIClient, routed: Graph
) -> None:
    response = start_via_api(as_editor, routed, router="math")
    assert response.status_code == 400
    assert response.json()["code"] == "not_trainable"
    assert "node 'math' is a 'model' node, not a router" in response.json()["message"]


def test_a_router_with_one_edge_is_refused(as_editor: APIClient, team: Team, owner: User) -> None:
    spec = copy.deepcopy(ROUTER_BASIC)
    spec["nodes"] = [n for n in spec["nodes"] if n["id"] not in ("code", "writing")]
    spec["edges"] = [e for e in spec["edges"] if "code" not in e["id"] and "writing" not in e["id"]]
    response = start_via_api(as_editor, router_graph(team, owner, spec))
    assert response.status_code == 400
    assert "needs at least two outgoing edges to train" in response.json()["message"]


def test_a_router_on_a_team_endpoint_is_refused(
    as_editor: APIClient, team: Team, owner: User
) -> None:
    catalog.endpoint_create(
        team=team, actor=owner, key="hosted", base_url="http://localhost:9/v1", model_name="m"
    )
    spec = copy.deepcopy(ROUTER_BASIC)
    next(n for n in spec["nodes"] if n["id"] == "router")["config"]["model"] = "hosted"
    response = start_via_api(as_editor, router_graph(team, owner, spec))
    assert response.status_code == 400
    assert "'hosted', which is not in the model catalog" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"epochs": 0}, "epochs"), ({"validation_fraction": 0.95}, "validation_fraction")],
)
def test_options_out_of_bounds_are_refused(
    as_editor: APIClient, routed: Graph, body: dict[str, Any], field: str
) -> None:
    response = start_via_api(as_editor, routed, **body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_second_start_while_the_router_is_training_is_a_conflict(
    as_editor: APIClient, routed: Graph, owner: User
) -> None:
    first = start(routed, owner)
    response = start_via_api(as_editor, routed)
    assert response.status_code == 409
    assert response.json()["code"] == "training_running"
    assert response.json()["training"] == first.pk
    services.training_cancel(training=first, actor=owner)
    assert start_via_api(as_editor, routed).status_code == 201


def test_trainings_are_listed_newest_first_and_by_router(
    as_viewer: APIClient, routed: Graph, owner: User
) -> None:
    first = start(routed, owner)
    services.training_cancel(training=first, actor=owner)
    second = start(routed, owner)
    url = f"/api/graphs/{routed.pk}/trainings/"
    assert [t["id"] for t in as_viewer.get(url).json()] == [second.pk, first.pk]
    assert as_viewer.get(url + "?router=other").json() == []
    detail = as_viewer.get(f"/api/trainings/{first.pk}/").json()
    assert detail["status"] == "cancelled"
    assert detail["error"] == "cancelled by olivia"


# --- the task --------------------------------------------------------------------------------


def test_a_training_completes_and_registers_its_adapter_in_the_catalog(
    routed: Graph, owner: User, as_viewer: APIClient, adapters_dir: Path
) -> None:
    training = start(routed, owner, epochs=2, examples_per_edge=8)
    services.training_run(training_id=training.pk, models=fake_models())

    body = as_viewer.get(f"/api/trainings/{training.pk}/").json()
    assert body["status"] == "completed"
    assert body["error"] == ""
    assert body["started_at"] is not None
    assert body["finished_at"] is not None
    progress = body["progress"]
    assert progress["step"] == progress["total_steps"] == 6  # 3 x 8 x 0.8 = 18 examples, 2 epochs
    assert progress["eta_s"] == 0
    assert progress["val_accuracy"] == 1.0
    adapter = body["adapter"]
    assert adapter["name"] == f"routed-router-t{training.pk}"
    assert (adapter["graph"], adapter["version"], adapter["router"]) == (routed.pk, 1, "router")
    assert adapter["base_model"] == "smollm2-135m-instruct"
    assert (adapter["train_examples"], adapter["validation_examples"]) == (18, 6)
    assert (adapters_dir / adapter["name"] / "functional_tokens.json").is_file()
    listed = as_viewer.get(f"/api/models/adapters/?team={routed.team_id}").json()
    assert [a["name"] for a in listed if not a["builtin"]] == [adapter["name"]]
    assert adapter["builtin"] is False


def test_progress_is_stored_as_training_goes(
    routed: Graph, owner: User, adapters_dir: Path
) -> None:
    training = start(routed, owner)
    seen: list[dict[str, Any]] = []
    trainer = FakeTrainer()

    def train(job: TrainJob, progress: Callable[[TrainProgress], None]) -> TrainReport:
        def report(step: TrainProgress) -> None:
            progress(step)
            seen.append(Training.objects.get(pk=training.pk).progress)

        return trainer(job, report)

    services.training_run(training_id=training.pk, models=fake_models(train))
    assert seen[0]["step"] == 1  # the first step is always stored, then every 0.5 s, and the last
    assert seen[-1]["step"] == seen[-1]["total_steps"]


def test_a_training_without_an_adapters_folder_fails_saying_which_variable(
    routed: Graph, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OCTOGRAPH_ADAPTERS_DIR", raising=False)
    training = start(routed, owner)
    services.training_run(training_id=training.pk, models=fake_models())
    training.refresh_from_db()
    assert training.status == "failed"
    assert "OCTOGRAPH_ADAPTERS_DIR is not set on the training worker" in training.error


def test_a_model_that_fails_fails_the_training_with_its_message(
    routed: Graph, owner: User, adapters_dir: Path
) -> None:
    def train(*args: Any, **kwargs: Any) -> Any:
        raise BackendError("weights of 'smollm2-135m-instruct' are missing")

    training = start(routed, owner)
    services.training_run(training_id=training.pk, models=fake_models(train))
    training.refresh_from_db()
    assert (training.status, training.error) == (
        "failed",
        "weights of 'smollm2-135m-instruct' are missing",
    )
    assert not RouterAdapter.objects.exists()


def test_a_crash_fails_the_training_instead_of_leaving_it_running(
    routed: Graph, owner: User, adapters_dir: Path
) -> None:
    def train(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("out of memory")

    training = start(routed, owner)
    services.training_run(training_id=training.pk, models=fake_models(train))
    training.refresh_from_db()
    assert training.status == "failed"
    assert training.error == "the training crashed: RuntimeError: out of memory"


def test_cancelling_a_running_training_stops_it_and_keeps_no_adapter(
    routed: Graph, owner: User, editor: User, adapters_dir: Path
) -> None:
    training = start(routed, owner)
    trainer = FakeTrainer()

    def train(job: TrainJob, progress: Callable[[TrainProgress], None]) -> TrainReport:
        def report(step: TrainProgress) -> None:
            if step.step == 2:
                services.training_cancel(training=training, actor=editor)
            progress(step)

        return trainer(job, report)

    services.training_run(training_id=training.pk, models=fake_models(train))
    training.refresh_from_db()
    assert (training.status, training.error) == ("cancelled", "cancelled by eddie")
    assert training.progress["step"] < training.progress["total_steps"]
    assert not RouterAdapter.objects.exists()
    assert not adapters_dir.exists() or list(adapters_dir.iterdir()) == []


def test_a_training_cancelled_while_queued_never_starts(
    routed: Graph, owner: User, adapters_dir: Path
) -> None:
    training = start(routed, owner)
    services.training_cancel(training=training, actor=owner)

    def train(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a cancelled training must not train")

    services.training_run(training_id=training.pk, models=fake_models(train))
    training.refresh_from_db()
    assert training.status == "cancelled"
    assert training.started_at is None


def test_a_training_delivered_again_after_its_worker_died_fails(
    routed: Graph, owner: User, adapters_dir: Path
) -> None:
    training = start(routed, owner)
    Training.objects.filter(pk=training.pk).update(status="running")
    services.training_run(training_id=training.pk, models=fake_models())
    training.refresh_from_db()
    assert (training.status, training.error) == ("failed", "its worker stopped before it finished")


def test_cancelling_needs_an_editor(as_viewer: APIClient, routed: Graph, owner: User) -> None:
    training = start(routed, owner)
    response = as_viewer.post(f"/api/trainings/{training.pk}/cancel/")
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.status == "queued"
