"""The model hosts' Celery app and settings: delivery guarantees, queues, fail-loud settings,
and neither the database nor the ML stack in a model host's imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workers import settings
from workers.celery_app import app, node_queue


def test_node_tasks_are_acknowledged_after_they_finish_one_at_a_time() -> None:
    conf = app.conf
    assert (conf.task_acks_late, conf.task_reject_on_worker_lost) == (True, True)
    assert conf.worker_prefetch_multiplier == 1
    assert (conf.task_serializer, list(conf.accept_content)) == ("json", ["json"])
    assert node_queue("smollm2-135m-instruct") == "model.smollm2-135m-instruct"


def test_a_model_host_imports_neither_the_database_nor_the_ml_stack() -> None:
    # kombu imports parts of django.utils for JSON when Django is installed; never django.db.
    code = (
        "import json, sys\n"
        "import workers.celery_app, workers.tasks, workers.event_stream, workers.node_runner\n"
        "heavy = ('django.db', 'webapp', 'torch', 'transformers', 'peft')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("0", None),
        ("true", {}),
        ('{"hang": ["m"], "latency": 0.5}', {"hang": ["m"], "latency": 0.5}),
    ],
)
def test_the_fake_backend_is_off_unless_a_test_turns_it_on(
    raw: str, expected: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_BACKEND", raw)
    assert settings.fake_backend() == expected


@pytest.mark.parametrize(
    ("name", "raw", "read"),
    [
        ("OCTOGRAPH_FAKE_BACKEND", '{"models": 1}', settings.fake_backend),
        ("OCTOGRAPH_FAKE_BACKEND", "maybe", settings.fake_backend),
        ("REDIS_URL", "localhost:6379", settings.redis_url),
        ("OCTOGRAPH_EVENT_TTL_S", "a day", settings.event_ttl_s),
        ("OCTOGRAPH_EVENT_TTL_S", "5", settings.event_ttl_s),
    ],
)
def test_bad_values_name_the_variable(
    name: str, raw: str, read: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(settings.SettingsError, match=name):
        read()  # type: ignore[operator]
