"""Time from navigation to an interactive canvas for 100/500/1000-node graphs, and how smoothly
the largest pans, in Chromium against the real stack (the one tests/e2e start).

"Interactive" is the editor's ``octograph:canvas-ready`` performance mark: set two animation
frames after React Flow's first fitView, i.e. once the first frame with the nodes was painted.
Panning drags the empty canvas for about a second while every animation frame is timed: once as
the graph opens (large graphs open at a legible zoom) and once after "Fit view" shows all of it.

    make frontend && .venv/bin/python bench/canvas_load.py [--sizes 100 500 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

# The stack launcher is shared with the browser tests, which live outside any package; it uses
# the repository's deploy/ helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from live_stack import CHROMIUM, CHROMIUM_ARGS, PASSWORD, live_stack
from playwright.sync_api import Page, sync_playwright

MODEL = "smollm2-135m-instruct"
CHAINS = 25
COLUMN_WIDTH, ROW_HEIGHT = 280, 140

READY_MS = """() => performance.getEntriesByName("octograph:canvas-ready")[0]?.startTime ?? null"""
START_FRAME_TIMING = """() => {
  window.__frames = [];
  if (window.__ticking) return;  // one frame loop per page, however often timing restarts
  window.__ticking = true;
  const tick = (t) => {
    window.__frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
VIEWPORT = """() => document.querySelector(".react-flow__viewport").style.transform"""
FRAME_GAPS = """() => window.__frames.slice(1).map((t, i) => t - window.__frames[i])"""


def chains_spec(nodes: int) -> dict[str, Any]:
    """``input`` -> ``CHAINS`` chains of model nodes -> ``output``: ``nodes`` nodes in all."""
    models = nodes - 2
    spec_nodes: list[dict[str, Any]] = [
        {"id": "input", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}}
    ]
    edges: list[dict[str, Any]] = []
    depth = -(-models // CHAINS)
    for index in range(models):
        chain, step = index % CHAINS, index // CHAINS
        node_id = f"m{index}"
        position = {"x": (step + 1) * COLUMN_WIDTH, "y": (chain - CHAINS / 2) * ROW_HEIGHT}
        spec_nodes.append(
            {
                "id": node_id,
                "kind": "model",
                "position": position,
                "config": {"model": MODEL, "system": f"Worker {index}."},
            }
        )
        source = "input" if step == 0 else f"m{index - CHAINS}"
        edges.append({"id": f"{source}->{node_id}", "source": source, "target": node_id})
    spec_nodes.append(
        {
            "id": "output",
            "kind": "output",
            "position": {"x": (depth + 1) * COLUMN_WIDTH, "y": 0},
            "config": {},
        }
    )
    for index in range(max(0, models - CHAINS), models):
        edges.append({"id": f"m{index}->output", "source": f"m{index}", "target": "output"})
    return {"spec": 1, "nodes": spec_nodes, "edges": edges}


def load_ms(page: Page, url: str) -> float:
    page.goto(url)
    page.wait_for_selector('[data-canvas-ready="true"]', timeout=120_000)
    return float(page.evaluate(READY_MS))


def pan_frame_gaps(page: Page) -> list[float]:
    """Drag the canvas across for ~60 mouse moves and return the gaps between frames (ms)."""
    box = page.locator(".react-flow__pane").bounding_box()
    assert box is not None, "the canvas is not visible"
    # The top-left corner is empty after fitView's padding (the controls sit bottom-left).
    x, y = box["x"] + 20, box["y"] + 20
    before = page.evaluate(VIEWPORT)
    page.evaluate(START_FRAME_TIMING)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + box["width"] * 0.6, y + box["height"] * 0.6, steps=60)
    page.mouse.up()
    gaps = list(page.evaluate(FRAME_GAPS))
    assert page.evaluate(VIEWPORT) != before, "the drag did not pan the canvas"
    return gaps


def frame_stats(gaps: list[float]) -> tuple[float, float]:
    """Mean frames per second and the 95th percentile frame time (ms)."""
    if len(gaps) < 20:
        return float("nan"), float("nan")
    return 1000 / statistics.mean(gaps), statistics.quantiles(gaps, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    with live_stack() as stack, sync_playwright() as playwright:
        api = stack.signup("bench")
        team = stack.personal_team(api)
        graphs = {}
        for size in args.sizes:
            body = {"team": team, "name": f"{size} nodes", "spec": chains_spec(size)}
            response = api.post("/api/graphs/", json=body)
            response.raise_for_status()
            graphs[size] = response.json()["id"]

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{stack.url}/login")
        page.get_by_label("Username").fill("bench")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("button", name="Log out").wait_for()

        print(
            f"{'nodes':>6} {'load ms (median)':>17} {'min':>7} {'max':>7} "
            f"{'pan fps':>8} {'p95 ms':>7} {'fit-all pan fps':>16} {'p95 ms':>7}"
        )
        for size, graph_id in graphs.items():
            url = f"{stack.url}/graphs/{graph_id}"
            times = [load_ms(page, url) for _ in range(args.repeats)]
            opened = frame_stats(pan_frame_gaps(page))
            page.get_by_role("button", name="Fit view", exact=True).click()
            page.wait_for_timeout(500)  # the fit is animated over 300 ms
            fitted = frame_stats(pan_frame_gaps(page))
            print(
                f"{size:>6} {statistics.median(times):>17.0f} {min(times):>7.0f} "
                f"{max(times):>7.0f} {opened[0]:>8.1f} {opened[1]:>7.1f} "
                f"{fitted[0]:>16.1f} {fitted[1]:>7.1f}"
            )
        browser.close()


if __name__ == "__main__":
    main()
