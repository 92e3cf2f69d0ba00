"""Evaluating a graph in the studio: upload a dataset (a bad file lists every problem by line),
run an experiment with live progress, read its metrics and its router's confusion matrix, follow
a misrouted cell to its rows and a row to its trace replayed on the canvas, then compare with an
experiment on a new version of the graph and see both on the Pareto plot.

The fake model host makes every decision predictable:

- v1 (the template's ``in-context`` router) picks the expert whose letter (A math, B code,
  C writing) appears as a whole word in the query, and math (the first) when none does;
- v2 (the same router in ``embedding`` mode) picks the expert whose edge description shares the
  most words with the query.
"""

from __future__ import annotations

import json
import re

import pytest
from canvas import node, wait_for_canvas
from playwright.sync_api import Page, expect
from studio import LogIn, Shoot, open_template, step_back_until

pytestmark = pytest.mark.e2e

# (query, expected route, v1's choice); v2 routes every one of them right.
ROWS = [
    ("Solve this algebra word problem: 3x + 5 = 20", "math", "math"),
    ("What is the mean of these statistics: 4, 8, 15?", "math", "math"),
    ("Help with debugging code that crashes on start", "code", "math"),
    ("Explain this C code and fix the debugging output", "code", "writing"),
    ("Option B: writing a Python function, explaining the code", "code", "code"),
    ("Draft emails and summaries for my team", "writing", "math"),
    ("Plan C: essays about the world and its facts", "writing", "writing"),
    ("Compute the calculus integral of x squared", "math", "math"),
]
# A file with a good first line and four bad ones, each problem named with its line.
BAD_FILE = b"\n".join(
    [
        b'{"input": "What is 2 + 2?", "route": "math"}',
        b'{"input": "Fix my loop", "route": "code"',
        b'{"route": "writing"}',
        b'{"input": "Pick one", "choices": ["yes", "no"], "answer": "E"}',
        b'{"input": "Hello", "rout": "writing"}',
    ]
)
BAD_PROBLEMS = [
    "line 2: not valid JSON",
    "line 3, input: is required",
    "line 4, answer: must be one letter A-B",
    "line 5, rout: unknown field",
]


def _jsonl(rows: list[tuple[str, str, str]]) -> bytes:
    return "\n".join(json.dumps({"input": q, "route": route}) for q, route, _ in rows).encode()


def _upload(page: Page, name: str, content: bytes) -> None:
    page.get_by_test_id("dataset-file").set_input_files(
        {"name": name, "mimeType": "application/x-ndjson", "buffer": content}
    )
    page.get_by_role("button", name="Upload dataset").click()


def test_an_experiment_shows_progress_confusion_traces_compare_and_pareto(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("eva")
    open_template(page, "Router with three experts")
    opened = re.search(r"/graphs/(\d+)$", page.url)
    assert opened is not None, page.url
    graph = int(opened.group(1))
    page.get_by_role("link", name="Evaluate").click()
    expect(page.get_by_role("heading", name="Evaluate")).to_be_visible()
    expect(page.get_by_role("region", name="Start an experiment")).to_contain_text(
        "Add a dataset first."
    )
    expect(page.get_by_label("Pareto dataset")).to_have_count(0)

    # A bad file is refused whole, with every problem listed by line and field.
    _upload(page, "bad.jsonl", BAD_FILE)
    problems = page.get_by_test_id("dataset-problems").get_by_role("listitem")
    expect(problems).to_have_count(len(BAD_PROBLEMS))
    for item, text in zip(problems.all(), BAD_PROBLEMS, strict=True):
        expect(item).to_contain_text(text)
    expect(page.locator(".eval-problems > p")).to_have_text("The file has 4 problems:")
    expect(page.get_by_test_id("datasets")).to_have_count(0)
    shoot(page, "60-eval-dataset-problems")

    _upload(page, "routes.jsonl", _jsonl(ROWS))
    datasets = page.get_by_test_id("datasets")
    expect(datasets).to_contain_text("routes")
    expect(datasets).to_contain_text("8")
    expect(page.get_by_test_id("dataset-problems")).to_have_count(0)

    # Experiment 1: v1 (in-context), full runs (the experts answer too), two at a time.
    start = page.get_by_role("region", name="Start an experiment")
    expect(start.get_by_label("Dataset")).to_contain_text("routes (8 rows)")
    expect(start.get_by_role("checkbox", name="route routing", exact=True)).to_be_checked()
    routing_only = start.get_by_role("checkbox", name=re.compile("Routing only"))
    expect(routing_only).to_be_checked()
    routing_only.uncheck()
    start.get_by_label("Concurrency").fill("2")
    start.get_by_role("button", name="Start experiment").click()

    bar = page.get_by_role("progressbar", name="Progress of experiment 1")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]\d?$"))
    shoot(page, "61-eval-progress")

    results = page.get_by_test_id("experiment-results")
    expect(results.locator(".run-status")).to_have_text("completed", timeout=45_000)
    expect(bar).to_have_count(0)
    metrics = page.get_by_test_id("metrics")
    expect(metrics.locator("tbody tr")).to_have_text(re.compile(r"^route\s*62\.5%"))
    expect(results).to_contain_text("8 completed of 8")
    expect(results.get_by_role("region", name="Router router")).to_contain_text("accuracy 62.5%")
    confusion = page.get_by_test_id("confusion-router")
    expect(confusion.locator("canvas").first).to_be_visible()
    # Targets in the graph's order (the router's edges by functional token), not alphabetical.
    expect(confusion.locator("thead th")).to_have_text(
        ["expected \\ chosen", "math", "code", "writing"]
    )
    expected_cells = {"math-math": 3, "code-math": 1, "code-writing": 1, "code-code": 1}
    expected_cells |= {"writing-math": 1, "writing-writing": 1}
    for cell, count in expected_cells.items():
        expect(confusion.get_by_test_id(f"cell-{cell}")).to_have_text(str(count))
    expect(confusion.get_by_test_id("cell-math-code")).to_have_count(0)
    expect(page.locator(".eval-confusions li")).to_have_text(
        ["code → math 1 row", "code → writing 1 row", "writing → math 1 row"]
    )
    rows = page.get_by_test_id("experiment-rows").locator("tbody tr")
    expect(rows).to_have_count(8)
    shoot(page, "62-eval-results")

    # A misrouted cell lists only its rows, and is marked as the one shown.
    expect(confusion.get_by_test_id("cell-code-math")).to_have_attribute("aria-pressed", "false")
    confusion.get_by_test_id("cell-code-math").click()
    expect(page.get_by_test_id("rows-filter")).to_be_visible()
    expect(confusion.get_by_test_id("cell-code-math")).to_have_attribute("aria-pressed", "true")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Help with debugging code that crashes on start")
    expect(rows.first).to_contain_text("math")
    shoot(page, "63-eval-misrouted-rows")

    # Its trace opens on the canvas as a replay of the run: the router chose math.
    trace = rows.first.get_by_role("link", name="Open trace")
    trace_url = rf"/graphs/{graph}\?run=\d+&experiment=1&row=2$"
    expect(trace).to_have_attribute("href", re.compile(rf"^{trace_url}"))
    trace.click()
    expect(page).to_have_url(re.compile(trace_url))
    origin = page.get_by_test_id("replay-origin")
    expect(origin).to_contain_text("Row 2 of experiment 1")
    step = page.get_by_test_id("replay-step")
    expect(step).to_contain_text("run completed")
    expect(page.locator('.edge-label.route-chosen[data-edge-id="router->math"]')).to_be_visible()
    expect(node(page, "math").locator(".octo-node")).to_have_class(re.compile(r"\brun-done\b"))
    expect(node(page, "code").locator(".octo-node")).to_have_class(re.compile(r"\brun-skipped\b"))
    expect(page.get_by_test_id("run-answer")).to_contain_text(
        "smollm2-135m-instruct: Help with debugging code"
    )
    step_back_until(page, "router chose")
    expect(step).to_contain_text("router chose math")
    shoot(page, "64-eval-trace-replay")

    # Back to the results, as they were left: by the browser's Back, and by the run panel's link.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/graphs/{graph}/evaluate\?experiment=1$"))
    expect(page.get_by_test_id("metrics")).to_contain_text("62.5%")
    page.go_forward()
    expect(step).to_contain_text("run completed")
    origin.get_by_role("link", name="Back to results").click()
    expect(page).to_have_url(re.compile(rf"/graphs/{graph}/evaluate\?experiment=1$"))
    expect(page.get_by_test_id("experiment-results")).to_contain_text("Experiment 1: v1 on routes")
    expect(page.get_by_test_id("metrics")).to_contain_text("62.5%")

    # v2: the router routes by embeddings, saved as a new version.
    page.get_by_role("link", name="← Router with three experts").click()
    wait_for_canvas(page)
    node(page, "router").click()
    page.get_by_label("Routing mode").select_option("embedding")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".save-status")).to_have_text("Saved version 2")
    page.get_by_role("link", name="Evaluate").click()
    start = page.get_by_role("region", name="Start an experiment")
    expect(start.get_by_label("Graph version")).to_have_value("2")
    # Routing only this time: each run stops once the router has decided.
    expect(start.get_by_role("checkbox", name=re.compile("Routing only"))).to_be_checked()
    start.get_by_role("button", name="Start experiment").click()
    results = page.get_by_test_id("experiment-results")
    expect(results).to_contain_text("Experiment 2: v2 on routes")
    expect(results.locator(".run-status")).to_have_text("completed", timeout=45_000)
    expect(page.get_by_test_id("metrics")).to_contain_text("100.0%")
    expect(page.get_by_test_id("confusion-router").get_by_test_id("cell-code-math")).to_have_count(
        0
    )
    # No answers to show: the rows and the per-node latency say why.
    expect(results.get_by_test_id("row-output").first).to_have_text("— routing only")
    expect(results.get_by_test_id("routing-only-note")).to_contain_text(
        "Routing-only runs stop once the routers decide"
    )

    # Both side by side: the delta with its paired test, and the three rows that changed.
    page.get_by_role("checkbox", name="Compare experiment 1 (v1 on routes)").check()
    page.get_by_role("checkbox", name="Compare experiment 2 (v2 on routes)").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("Compare against #1 (v1) on routes")
    expect(comparison.get_by_test_id("compare-metrics")).to_contain_text("+37.5 pp")
    expect(comparison.get_by_test_id("compare-metrics")).to_contain_text("mcnemar")
    changed = comparison.get_by_test_id("changed-rows").locator("tbody tr")
    expect(changed).to_have_count(3)
    expect(changed.first.get_by_role("link", name="Open trace")).to_have_count(2)
    comparison.scroll_into_view_if_needed()
    shoot(page, "65-eval-compare")

    # Every experiment on the dataset as a point, quality against median latency.
    pareto = page.get_by_test_id("pareto")
    expect(pareto.get_by_role("img", name=re.compile("2 experiments"))).to_be_visible()
    expect(pareto.locator("canvas").first).to_be_visible()
    pareto.scroll_into_view_if_needed()
    shoot(page, "66-eval-pareto")
