"""Tool nodes execute outside the step that advances their run: the step commits them running
(with a deadline, as hosted nodes), then the same process executes them and folds their outcomes
in short steps of their own, many per step. The steps run here in the test process, as the
``runs`` worker runs them; the database and Redis are real."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bench.fan_spec import tool_fan
from graphs.events import STRUCTURAL_TYPES, TERMINAL_TYPES
from graphs.nodes import tool
from graphs.nodes.base import NodeContext, NodeResult
from graphs.nodes.registry import NODE_KINDS
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs import driver, enqueue, inline, services, sweeper
from webapp.runs.models import Run
from workers.event_stream import shared_stream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_runs_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests take each run's steps themselves: its ``start_run`` must not also reach a
    runs worker that another test module's fixture left consuming the queue."""
    monkeypatch.setattr(enqueue, "start_run", lambda *args, **kwargs: None)


def fan_graph(member: User, width: int) -> Graph:
    owner = User.objects.get(username="owner")
    team = member.team  # type: ignore[attr-defined]
    return graphstore.graph_create(team=team, actor=owner, name="fan", spec=tool_fan(width))


@pytest.fixture
def tool_spy(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace the tool kind's executor by ``spy(context)`` then the real one."""
    calls: list[Callable[[NodeContext], None]] = []

    async def execute(context: NodeContext) -> NodeResult:
        for spy in calls:
            spy(context)
        return await tool.execute_tool(context)

    kind = dataclasses.replace(NODE_KINDS["tool"], execute=execute)
    monkeypatch.setitem(NODE_KINDS, "tool", kind)
    return calls.append


def in_thread(read: Callable[[], Any]) -> Any:
    """``read()`` on a thread of its own: its own database connection, so it sees only what
    was committed."""
    result: list[Any] = []

    def target() -> None:
        try:
            result.append(read())
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    return result[0]


def stream_and_trace(run_id: int) -> tuple[list[Any], list[tuple[int, str, str | None]]]:
    stream = shared_stream().events_after(str(run_id))
    trace = list(Run.objects.get(pk=run_id).events.values_list("seq", "type", "node"))
    return stream, trace


def test_a_tool_executes_after_its_step_committed_it_running(
    member: User, tool_spy: Callable[..., None]
) -> None:
    graph = fan_graph(member, 1)
    run = services.run_create(graph=graph, actor=member, text="6 * 7")
    seen: list[tuple[str, dict[str, Any]]] = []

    def committed_state(context: NodeContext) -> None:
        row = in_thread(lambda: Run.objects.values("state", "nodes").get(pk=run.pk))
        seen.append((row["state"]["status"][context.node.id], row["nodes"][context.node.id]))

    tool_spy(committed_state)
    driver.run_start(run_id=run.pk)

    (status, entry) = seen[0]
    assert status == "running"
    assert entry["inline"] is True
    assert datetime.fromisoformat(entry["deadline"]) > timezone.now()
    run.refresh_from_db()
    assert (run.status, run.output, run.nodes) == ("completed", "6 * 7 = 42", {})


def test_a_wide_tool_graph_folds_its_outcomes_in_a_few_short_steps(member: User) -> None:
    width = 300
    graph = fan_graph(member, width)
    run = services.run_create(graph=graph, actor=member, text="2 ** 10")

    with CaptureQueriesContext(connection) as queries:
        driver.run_start(run_id=run.pk)

    steps = [q for q in queries.captured_queries if "UPDATE" in q["sql"] and "runs_run" in q["sql"]]
    run.refresh_from_db()
    assert run.status == "completed", run.error
    assert run.output.split("\n\n") == ["2 ** 10 = 1024"] * width
    assert len(steps) <= width // 10  # the start, then many outcomes per step
    stream, trace = stream_and_trace(run.pk)
    assert [event.seq for event in stream] == list(range(1, len(stream) + 1))
    assert trace == [(e.seq, str(e.type), e.node) for e in stream if e.type in STRUCTURAL_TYPES]
    completed = Counter(node for _, kind, node in trace if kind == "node.completed")
    assert set(completed.values()) == {1}
    assert len(completed) == width + 2
    assert [kind for _, kind, _ in trace if kind in TERMINAL_TYPES] == ["run.completed"]
    assert trace[-1][1] == "run.completed"
    for index in range(width):  # each tool's call and result come before its completion
        kinds = [kind for _, kind, node in trace if node == f"c{index}"]
        assert kinds == ["node.started", "tool.call", "tool.result", "node.completed"]


def test_other_writes_go_on_while_a_slow_tool_runs(
    member: User, tool_spy: Callable[..., None]
) -> None:
    graph = fan_graph(member, 1)
    run = services.run_create(graph=graph, actor=member, text="1 + 1")
    waited: list[float] = []

    def another_users_run(context: NodeContext) -> None:
        time.sleep(0.5)  # a slow webhook, say

        def create() -> float:
            began = time.perf_counter()
            services.run_create(graph=graph, actor=member, text="2 + 2")
            return time.perf_counter() - began

        waited.append(in_thread(create))

    tool_spy(another_users_run)
    driver.run_start(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "completed"
    # Had the tool held the lock, the create would wait out the 30 s busy timeout (the tool waits
    # for it): anything well below that means no lock was held, however loaded the machine.
    assert waited[0] < 10


def test_cancelling_a_run_stops_its_tools_and_nothing_follows_the_cancellation(
    member: User, tool_spy: Callable[..., None]
) -> None:
    graph = fan_graph(member, 40)
    run = services.run_create(graph=graph, actor=member, text="3 * 3")
    release = threading.Event()
    cancelled: list[Run] = []

    def block_until_cancelled(context: NodeContext) -> None:
        if not cancelled:
            cancelled.append(in_thread(lambda: services.run_cancel(run=run, actor=member)))
        release.wait(0.01)

    tool_spy(block_until_cancelled)
    began = time.monotonic()
    driver.run_start(run_id=run.pk)

    assert time.monotonic() - began < 10
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert run.nodes == {}
    stream, trace = stream_and_trace(run.pk)
    assert stream[-1].type == "run.cancelled"
    assert [kind for _, kind, _ in trace if kind in TERMINAL_TYPES] == ["run.cancelled"]
    assert trace[-1][1] == "run.cancelled"


def test_a_failing_tool_fails_the_run_once(member: User) -> None:
    graph = fan_graph(member, 20)
    run = services.run_create(graph=graph, actor=member, text="1 / 0")

    driver.run_start(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "node 'c0' failed: division by zero"
    _, trace = stream_and_trace(run.pk)
    assert [kind for _, kind, _ in trace if kind in TERMINAL_TYPES] == ["run.failed"]
    assert trace[-1][1] == "run.failed"


def test_tools_left_running_by_a_dead_worker_fail_at_their_deadline(
    member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = fan_graph(member, 2)
    run = services.run_create(graph=graph, actor=member, text="5 - 1")
    monkeypatch.setattr(inline, "execute_deferred", lambda work, fold: None)  # the worker died

    driver.run_start(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "running"
    assert sorted(run.nodes) == ["c0", "c1"]

    # (Other tests' workers may have left runs of their own for the sweep: only this one counts.)
    assert run.pk not in sweeper.fail_lost_runs(now=timezone.now() + timedelta(minutes=5))
    assert run.pk in sweeper.fail_lost_runs(now=timezone.now() + timedelta(hours=1))
    run.refresh_from_db()
    assert run.status == "failed"
    assert "its worker was lost" in run.error


def test_a_run_posted_while_the_database_is_busy_waits_and_is_created(
    graph: Graph, viewer: User
) -> None:
    """A write transaction held elsewhere (a step, on SQLite the whole database's write lock)
    makes the request wait its turn: 201, never 500 "database is locked"."""
    from django.db import transaction

    taken, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Graph.objects.filter(pk=graph.pk).update(name=graph.name)
                taken.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert taken.wait(10)
    threading.Timer(1.0, release.set).start()
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.post(f"/api/graphs/{graph.pk}/runs/", {"input": "hi"}, format="json")
    holder.join(10)

    assert response.status_code == 201, response.content


def test_sqlite_runs_in_wal_mode() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()

    assert mode == "wal"
