"""Router training jobs (``workers.routing.job``) on the fake trainer: options, the reasons a
router cannot be trained, what the job trains on and saves, and stopping it from the progress
callback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphs import load_spec
from graphs.spec import GraphSpec
from graphs.templates import get_template
from workers import settings
from workers.backends.fake import FakeBackend
from workers.model_cache import AdapterResolver
from workers.routing.adapter_meta import read_router_meta
from workers.routing.fake_trainer import FakeTrainer
from workers.routing.job import (
    TrainingError,
    TrainingModels,
    TrainingOptions,
    plan_training,
    train_router_job,
    training_models,
)
from workers.routing.trainer import ProgressFn, TrainJob, TrainProgress, TrainReport


def router_basic(**router_config: Any) -> GraphSpec:
    raw = get_template("router-basic").spec()
    router = next(n for n in raw["nodes"] if n["id"] == "router")
    router["config"].update(router_config)
    return load_spec(raw)


def single_edge_router() -> dict[str, Any]:
    """router-basic with only its math worker: valid, but nothing to choose between."""
    raw = get_template("router-basic").spec()
    raw["nodes"] = [n for n in raw["nodes"] if n["id"] not in ("code", "writing")]
    raw["edges"] = [e for e in raw["edges"] if "code" not in e["id"] and "writing" not in e["id"]]
    return raw


def fake_models(jobs: list[TrainJob] | None = None) -> TrainingModels:
    trainer = FakeTrainer()

    def train(job: TrainJob, progress: ProgressFn | None) -> TrainReport:
        if jobs is not None:
            jobs.append(job)
        return trainer(job, progress)

    return TrainingModels(base_folder=lambda entry: entry.key, client=FakeBackend, train=train)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("epochs", 0),
        ("epochs", 2.5),
        ("examples_per_edge", 1001),
        ("model_queries_per_edge", -1),
        ("validation_fraction", 0.95),
        ("validation_fraction", True),
    ],
)
def test_options_out_of_bounds_name_the_field(field: str, value: Any) -> None:
    with pytest.raises(TrainingError, match=field) as caught:
        TrainingOptions(**{field: value})
    assert caught.value.field == field


def test_options_round_trip_through_json() -> None:
    options = TrainingOptions(epochs=2, validation_fraction=0.25)
    assert TrainingOptions(**options.to_json()) == options


def test_plan_lists_the_routers_candidates_in_token_order() -> None:
    plan = plan_training(router_basic(), "router")
    assert [t.target for t in plan.targets] == ["math", "code", "writing"]
    assert plan.model.key == "smollm2-135m-instruct"


@pytest.mark.parametrize(
    ("router", "reason"),
    [
        ("math", "node 'math' is a 'model' node, not a router"),
        ("nobody", "no node 'nobody'"),
    ],
)
def test_plan_refuses_a_node_that_is_not_a_router(router: str, reason: str) -> None:
    with pytest.raises(TrainingError, match=reason):
        plan_training(router_basic(), router)


def test_plan_refuses_a_router_with_a_single_edge() -> None:
    with pytest.raises(TrainingError, match="router 'router' needs at least two outgoing edges"):
        plan_training(load_spec(single_edge_router()), "router")


def test_plan_refuses_a_model_outside_the_catalog() -> None:
    with pytest.raises(TrainingError, match="'team-endpoint', which is not in the model catalog"):
        plan_training(router_basic(model="team-endpoint"), "router")


def test_job_trains_on_synthesised_examples_and_saves_a_resolvable_adapter(
    tmp_path: Path,
) -> None:
    jobs: list[TrainJob] = []
    progress: list[TrainProgress] = []
    options = TrainingOptions(epochs=2, examples_per_edge=10, validation_fraction=0.2)
    report = train_router_job(
        router_basic(),
        "router",
        options,
        tmp_path / "adapters" / "routed",
        models=fake_models(jobs),
        progress=progress.append,
        link={"graph": "7", "router": "router"},
    )
    job = jobs[0]
    assert job.base == "smollm2-135m-instruct"
    assert job.config.epochs == 2
    assert len(job.train) == 24
    assert len(job.validation) == 6
    assert {e.token for e in job.validation} == job.tokens == {0, 1, 2}
    assert job.base_key == "smollm2-135m-instruct"
    assert [p.step for p in progress] == list(range(1, report.steps + 1))
    assert progress[-1].eta_s == 0
    assert progress[-1].val_accuracy == 1.0
    folder = AdapterResolver(directory=tmp_path / "adapters").resolve("routed")
    meta = json.loads((folder / "functional_tokens.json").read_text())
    assert meta["trained_for"] == {"graph": "7", "router": "router"}
    assert read_router_meta(folder) is not None


def test_job_adds_queries_written_by_the_routers_model(tmp_path: Path) -> None:
    jobs: list[TrainJob] = []
    options = TrainingOptions(examples_per_edge=5, model_queries_per_edge=1, validation_fraction=0)
    train_router_job(router_basic(), "router", options, tmp_path / "a", models=fake_models(jobs))
    train = jobs[0].train
    # The fake model answers "<model>: <first words of the prompt>": one query per edge.
    written = [e.query for e in train if e.query.startswith("smollm2-135m-instruct:")]
    assert len(train) == 3 * 5 + 3
    assert len(written) == 3


def test_a_raising_progress_callback_stops_the_job_before_anything_is_saved(
    tmp_path: Path,
) -> None:
    class Stop(Exception):
        pass

    def stop_at_second_step(progress: TrainProgress) -> None:
        if progress.step == 2:
            raise Stop

    with pytest.raises(Stop):
        train_router_job(
            router_basic(),
            "router",
            TrainingOptions(),
            tmp_path / "stopped",
            models=fake_models(),
            progress=stop_at_second_step,
        )
    assert not (tmp_path / "stopped").exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", None), ("off", None), ("true", 0.0), ("0", 0.0), ("0.05", 0.05)],
)
def test_fake_trainer_setting(raw: str, expected: float | None, monkeypatch: Any) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_TRAINER", raw)
    assert settings.fake_trainer() == expected


@pytest.mark.parametrize("raw", ["fast", "-1", "61"])
def test_fake_trainer_setting_refuses_bad_values(raw: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_TRAINER", raw)
    with pytest.raises(settings.SettingsError, match="OCTOGRAPH_FAKE_TRAINER"):
        settings.fake_trainer()


def test_training_models_follow_the_setting(monkeypatch: Any) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_TRAINER", "0.01")
    fake = training_models().train
    assert isinstance(fake, FakeTrainer)
    assert fake.step_s == 0.01
    monkeypatch.delenv("OCTOGRAPH_FAKE_TRAINER")
    from workers.routing.trainer import train_router

    assert training_models().train is train_router
