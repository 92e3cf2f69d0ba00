"""Every entry point that starts work answers a task queue (Redis) it cannot reach in the API's
own error shape: 503 with ``Retry-After`` where nothing was done and the request may simply be
sent again (a run, a chat turn, an OpenAI completion), 201 where the work was stored and starts
by itself once the queue is back (an experiment).

The broker's send is made to fail (``kombu.exceptions.OperationalError``, what publishing raises
when Redis is down); ``test_resilience.py`` kills a real Redis for the runs endpoint.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

import httpx
import kombu.exceptions
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.chat.models import ChatMessage
from webapp.errors import Unavailable
from webapp.evaluation import driver
from webapp.evaluation import services as evaluation
from webapp.evaluation import tasks as evaluation_tasks
from webapp.evaluation.models import Experiment, ExperimentStatus
from webapp.graphstore.models import Graph
from webapp.runs import enqueue
from webapp.runs.models import Run, RunStatus

# The hooks that send a start run after the commit: the test's transaction must commit.
pytestmark = pytest.mark.django_db(transaction=True)

RETRY_AFTER = str(Unavailable.retry_after_s)


def _broker_down(*args: Any, **kwargs: Any) -> NoReturn:
    raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379.")


@pytest.fixture
def queue_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sending a run's start fails as with Redis down."""
    monkeypatch.setattr(enqueue, "start_run", _broker_down)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == RETRY_AFTER
    body = response.json()
    assert body["code"] == "queue_unavailable"
    assert "try again" in body["message"]


def test_starting_a_run_with_the_queue_down_answers_503_and_leaves_no_run(
    queue_down: None, graph: Graph, as_viewer: APIClient
) -> None:
    response = as_viewer.post(f"/api/graphs/{graph.pk}/runs/", {"input": "hi"}, format="json")

    _assert_unavailable(response)
    assert not Run.objects.exists()


def test_a_chat_turn_with_the_queue_down_answers_503_and_may_be_said_again(
    queue_down: None, graph: Graph, as_viewer: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = as_viewer.post(f"/api/graphs/{graph.pk}/chats/", {}, format="json").json()
    url = f"/api/chats/{chat['id']}/messages/"

    response = as_viewer.post(url, {"content": "Hello?"}, format="json")

    _assert_unavailable(response)
    # The message is kept (its run is tied to it), the run failed with the reason: not a turn
    # in progress, so saying it again is allowed.
    (message,) = ChatMessage.objects.filter(session_id=chat["id"])
    assert message.run is not None
    assert message.run.status == RunStatus.FAILED
    assert "unreachable" in message.run.error
    monkeypatch.setattr(enqueue, "start_run", lambda run_id: None)
    again = as_viewer.post(url, {"content": "Hello?"}, format="json")
    assert again.status_code == 201, again.content


async def test_an_openai_completion_with_the_queue_down_answers_503_in_openais_format(
    queue_down: None, graph: Graph, owner: User
) -> None:
    token = (await sync_to_async(token_issue)(user=owner)).key
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        response = await http.post(
            "/v1/chat/completions",
            headers={"Authorization": f"Bearer {token}"},
            json={"model": graph.slug, "messages": [{"role": "user", "content": "Hi"}]},
        )

    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == RETRY_AFTER
    error = response.json()["error"]
    assert error["code"] == "queue_unavailable"
    assert error["type"] == "server_error"
    assert "try again" in error["message"]
    assert not await sync_to_async(Run.objects.exists)()


def test_an_experiment_started_with_the_queue_down_is_queued_and_resumed_later(
    graph: Graph, team: Team, owner: User, as_viewer: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"input": "one", "expected": "x"}, {"input": "two", "expected": "y"}]
    content = "\n".join(json.dumps(row) for row in rows).encode()
    dataset = evaluation.dataset_upload(
        team=team, actor=owner, file=SimpleUploadedFile("d.jsonl", content), name="d"
    )
    monkeypatch.setattr(evaluation_tasks.advance_experiment, "apply_async", _broker_down)

    response = as_viewer.post(
        f"/api/graphs/{graph.pk}/experiments/", {"dataset": dataset.pk}, format="json"
    )

    # Stored, not lost: a 503 would have the client start it twice.
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ExperimentStatus.QUEUED
    (experiment,) = Experiment.objects.all()
    # Once the queue is back, the resume sweep starts it.
    started: list[int] = []
    monkeypatch.setattr(enqueue, "start_run", started.append)
    assert driver.experiments_resume() == [experiment.pk]
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.RUNNING
    assert sorted(started) == sorted(Run.objects.values_list("pk", flat=True))
    assert len(started) == len(rows)
