"""Never stuck, never stalled: many runs at once for minutes, and a huge tool graph beside them.

Everything is real except the models (the fake backend answers at once): runs are created by
the runs service, started and advanced by a Celery ``runs`` worker process (Django on a
temporary SQLite file, Redis), their model nodes executed by a Celery model host process.

1. Soak: ``--concurrent`` (default 100) runs in flight for ``--duration`` seconds (default 300),
   a new one started as each finishes, alternating ``moa-lite`` (model nodes) and a small tool
   graph. Then every run still in flight gets ``--drain`` seconds to finish; those that do not
   are stuck. Each finished run's events are checked: its Redis stream numbered 1..n without a
   gap, its stored trace exactly the stream's structural events, and exactly one terminal
   event, the last. Printed: runs completed, stuck, lost events, runs per second.
2. A ``--big``-node tool graph (``input -> calculators -> output``, default 5,000 nodes) runs
   while another user creates runs of a small graph through ``POST /api/graphs/{id}/runs/``
   (DRF, token auth, in this process) one after another. Printed: the big run's time and that
   endpoint's p50/p99 latency and status codes while it ran (goal: p99 < 1 s, no 5xx).

    .venv/bin/python bench/soak.py [--concurrent 100] [--duration 300] [--big 5000]
    .venv/bin/python bench/soak.py --smoke     # 4 runs at once for 15 s, a 300-node graph

Redis: a private embedded server, or ``REDIS_URL`` (whose database is FLUSHED). Exits 1 when a
run is stuck, an event is lost, the big run fails or a request answers 5xx.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from typing import Any

from fan_spec import tool_fan
from stack import django_stack, workers

MODEL = "smollm2-135m-instruct"
POLL_S = 0.2


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check_events(run_id: int) -> int:
    """Problems with run ``run_id``'s events: gaps in its stream, trace rows that differ from
    the stream's structural events, and terminal events other than one last one."""
    from graphs.events import STRUCTURAL_TYPES, TERMINAL_TYPES
    from webapp.runs.models import RunEvent
    from workers.event_stream import shared_stream

    stream = shared_stream().events_after(str(run_id))
    seqs = [event.seq for event in stream]
    problems = sum(1 for a, b in itertools.pairwise([0, *seqs]) if b != a + 1)
    structural = [(e.seq, str(e.type)) for e in stream if e.type in STRUCTURAL_TYPES]
    stored = list(RunEvent.objects.filter(run_id=run_id).values_list("seq", "type"))
    problems += len(set(structural) ^ set(stored))
    terminal = [seq for seq, kind in stored if kind in TERMINAL_TYPES]
    if len(terminal) != 1 or not stored or terminal[0] != stored[-1][0]:
        problems += 1
    return problems


def soak(make_run: Any, concurrent: int, duration_s: float, drain_s: float) -> int:
    """Phase 1; returns its problems (stuck runs + runs with event problems)."""
    from webapp.runs.models import FINISHED, Run

    kinds = itertools.cycle(["moa-lite", "tools"])
    in_flight = {make_run(next(kinds), f"{index + 2} * 3") for index in range(concurrent)}
    finished: list[int] = []
    started = time.monotonic()
    while time.monotonic() - started < duration_s:
        done = set(
            Run.objects.filter(pk__in=in_flight, status__in=FINISHED).values_list("pk", flat=True)
        )
        in_flight -= done
        finished += done
        for index in range(len(done)):
            in_flight.add(make_run(next(kinds), f"{index + 2} * 3"))
        time.sleep(POLL_S)
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + drain_s
    while in_flight and time.monotonic() < deadline:
        done = set(
            Run.objects.filter(pk__in=in_flight, status__in=FINISHED).values_list("pk", flat=True)
        )
        in_flight -= done
        finished += done
        time.sleep(POLL_S)
    statuses = _status_counts(finished)
    lost = sum(check_events(run_id) for run_id in finished)
    print(
        f"soak: {concurrent} runs in flight for {elapsed:.0f} s: {len(finished)} finished "
        f"({statuses.get('completed', 0)} completed, {statuses.get('failed', 0)} failed), "
        f"{len(finished) / elapsed:.1f} runs/s; stuck {len(in_flight)}, "
        f"lost or disordered events {lost}"
    )
    failed = statuses.get("failed", 0) + statuses.get("cancelled", 0)
    return len(in_flight) + lost + failed


def _status_counts(run_ids: list[int]) -> dict[str, int]:
    from webapp.runs.models import Run

    counts: dict[str, int] = {}
    for status in Run.objects.filter(pk__in=run_ids).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def big_run_beside_requests(make_run: Any, post_run: Any, timeout_s: float) -> int:
    """Phase 2; returns its problems (a failed big run, 5xx answers)."""
    from webapp.runs.models import Run

    latencies: list[float] = []
    codes: dict[int, int] = {}
    stop = threading.Event()

    def requests() -> None:
        from django.db import connection

        try:
            while not stop.is_set():
                began = time.perf_counter()
                code = post_run()
                latencies.append(time.perf_counter() - began)
                codes[code] = codes.get(code, 0) + 1
                time.sleep(0.05)
        finally:
            connection.close()

    post_run()  # warm-up: the first request imports and builds the API's views
    started = time.monotonic()
    big = make_run("big", "17 * 23")
    poster = threading.Thread(target=requests)
    poster.start()
    try:
        run = Run.objects.get(pk=big)
        while not run.finished and time.monotonic() - started < timeout_s:
            time.sleep(POLL_S)
            run = Run.objects.get(pk=big)
    finally:
        stop.set()
        poster.join()
    elapsed = time.monotonic() - started
    nodes = len(run.version.spec["nodes"])
    print(f"big tool run: {nodes} nodes {run.status} in {elapsed:.1f} s ({run.error or 'ok'})")
    ms = [value * 1000 for value in latencies]
    print(
        f"another user's POST /api/graphs/{{id}}/runs/ during it, {len(ms)} requests: "
        f"p50 {percentile(ms, 0.5):.0f} ms, p99 {percentile(ms, 0.99):.0f} ms, "
        f"max {max(ms):.0f} ms, mean {statistics.fmean(ms):.0f} ms; status codes {codes}"
    )
    server_errors = sum(count for code, count in codes.items() if code >= 500)
    return (run.status != "completed") + server_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrent", type=int, default=100, help="runs in flight")
    parser.add_argument("--duration", type=float, default=300, help="seconds of soak")
    parser.add_argument("--drain", type=float, default=120, help="seconds to finish after it")
    parser.add_argument("--big", type=int, default=5000, help="nodes of the big tool graph")
    parser.add_argument("--smoke", action="store_true", help="4 runs for 15 s, 300 nodes")
    args = parser.parse_args()
    if args.smoke:
        args.concurrent, args.duration, args.drain, args.big = 4, 15, 60, 300
    with django_stack("octograph-soak-") as folder:
        problems = measure(folder, args)
    print(f"problems: {problems}")
    sys.exit(1 if problems else 0)


def measure(folder: Any, args: argparse.Namespace) -> int:
    from django.conf import settings
    from rest_framework.test import APIClient

    from graphs.templates import get_template
    from webapp.accounts import services as accounts
    from webapp.graphstore import services as graphstore
    from webapp.runs import services as runs

    # The big graph is over the graph store's default size limit, which guards the web API.
    settings.OCTOGRAPH_GRAPH_LIMITS = {
        "nodes": args.big + 10,
        "edges": 2 * args.big + 10,
        "spec_bytes": 1000 * args.big + 100_000,
    }
    user = accounts.user_signup(username="soak", password="soak-password-123")
    other = accounts.user_signup(username="other", password="other-password-123")
    team = user.personal_team
    graphs = {
        "moa-lite": graphstore.graph_create(
            team=team, actor=user, name="moa", spec=get_template("moa-lite").spec()
        ),
        "tools": graphstore.graph_create(team=team, actor=user, name="tools", spec=tool_fan(3)),
        "big": graphstore.graph_create(
            team=team, actor=user, name="big", spec=tool_fan(args.big - 2)
        ),
    }
    small = graphstore.graph_create(
        team=other.personal_team, actor=other, name="small", spec=tool_fan(1)
    )
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {accounts.token_issue(user=other).key}")

    def make_run(graph: str, text: str) -> int:
        return runs.run_create(graph=graphs[graph], actor=user, text=text).pk

    def post_run() -> int:
        response = client.post(f"/api/graphs/{small.pk}/runs/", {"input": "6 * 7"}, format="json")
        return int(response.status_code)

    hosts = (
        ("webapp.celery_app", "runs", {}),
        ("workers.celery_app", f"model.{MODEL}", {"OCTOGRAPH_FAKE_BACKEND": "1"}),
    )
    with workers(*hosts, folder=folder):
        problems = soak(make_run, args.concurrent, args.duration, args.drain)
        problems += big_run_beside_requests(make_run, post_run, timeout_s=600)
    return problems


if __name__ == "__main__":
    main()
