"""`octograph eval`: the in-process evaluation on the fake backend, and its refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphs import load_spec
from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.report import summarize
from graphs.runtime import GenerateRequest, RouteRequest
from tests.octograph_cli import octograph
from tests.unit.graphs.compact_specs import router_fan, spec_json
from workers.backends.fake import FakeBackend
from workers.cli.evaluate import EvalError, EvalOptions, Evaluation, render_report


def three_way() -> Any:
    return load_spec(
        router_fan(
            {"model": "r", "mode": "functional-token", "adapter": "a"},
            [
                ("math", "model", {"model": "m"}, "math"),
                ("code", "model", {"model": "m"}, "code"),
                ("prose", "model", {"model": "m"}, "writing"),
            ],
        )
    )


def rows() -> list[DatasetRow]:
    """The fake router picks the token named in the query: rows 0-3 are routed as expected, row 4
    (expected math, says <nexa_1>) goes to code, row 5 (expected code, says <nexa_2>) to prose."""
    queries = [
        ("<nexa_0> add numbers", "math"),
        ("<nexa_0> integrate", "math"),
        ("<nexa_1> a loop", "code"),
        ("<nexa_2> a poem", "prose"),
        ("<nexa_1> count apples", "math"),
        ("<nexa_2> sort a list", "code"),
    ]
    return [
        DatasetRow(input=text, route=route, expected="42", choices=("x", "y"), answer="B")
        for text, route in queries
    ]


def fake() -> FakeBackend:
    def reply(request: GenerateRequest) -> str:
        return "('rewritten')<nexa_end>" if request.prefix else "The answer is B: 42"

    return FakeBackend(reply=reply)


async def test_route_only_evaluation_builds_the_confusion_matrix_without_any_worker() -> None:
    client = fake()
    evaluation = Evaluation(three_way(), rows(), client, EvalOptions(scorers=("route",)))
    assert evaluation.routing_only

    scored = await evaluation.run()
    report = summarize(scored, evaluation.scorer_names)

    assert all(isinstance(call, RouteRequest) for call in client.calls)
    assert report["metrics"]["route"] == pytest.approx(4 / 6)
    router = report["routers"]["r"]
    assert router["confusion"]["math"] == {"math": 2, "code": 1}
    assert router["confusion"]["code"] == {"code": 1, "prose": 1}
    assert router["confusion"]["prose"] == {"prose": 1}
    assert {(c["expected"], c["chosen"]) for c in router["top_confusions"]} == {
        ("math", "code"),
        ("code", "prose"),
    }
    assert "router r: accuracy 66.7%" in render_report(report)


async def test_default_scorers_run_the_rows_to_their_answers() -> None:
    evaluation = Evaluation(three_way(), rows(), fake(), EvalOptions(sample=4, seed=3))
    assert evaluation.scorer_names == ["route", "choice", "exact"]
    assert not evaluation.routing_only

    scored = await evaluation.run()

    assert [row.index for row in scored] == evaluation.indices
    assert len(scored) == 4
    report = summarize(scored, evaluation.scorer_names)
    assert report["metrics"]["choice"] == 1.0
    assert report["metrics"]["exact"] == 0.0


def test_routing_only_with_a_scorer_that_reads_answers_is_refused() -> None:
    options = EvalOptions(scorers=("route", "choice"), routing_only=True)
    with pytest.raises(EvalError, match="choice reads them"):
        Evaluation(three_way(), rows(), fake(), options)


def test_a_route_naming_no_target_is_refused_by_row() -> None:
    bad = [*rows(), DatasetRow(input="x", route="cooking")]
    with pytest.raises(EvalError, match=r"row 7: route 'cooking' is not a target of any router"):
        Evaluation(three_way(), bad, fake(), EvalOptions(scorers=("route",)))


def test_bad_dataset_file_lists_every_problem_by_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"input": "ok"}\n{not json\n{"expected": "no input"}\n')
    result = octograph("eval", "template:router-basic", str(data))
    assert result.returncode == 1
    assert "line 2" in result.stderr
    assert "line 3, input" in result.stderr


def test_unknown_builtin_names_the_builtins() -> None:
    result = octograph("eval", "template:router-basic", "builtin:nope")
    assert result.returncode == 1
    assert "builtin:mmlu-1700" in result.stderr


def test_route_scorer_on_a_graph_without_router_says_so(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text(json.dumps({"input": "hi", "route": "math"}) + "\n")
    result = octograph("eval", "template:moa-lite", str(data), "--scorer", "route")
    assert result.returncode == 1
    assert "the route scorer needs a graph with a router" in result.stderr


async def test_pairwise_judging_counts_a_win_only_when_it_wins_both_orders() -> None:
    from workers.cli.judge_pair import PairOptions, judge_rows, tally

    def reply(request: GenerateRequest) -> str:
        """The judge prefers whichever answer says "octopus", wherever it stands."""
        if request.model != "j":
            return "octopus" if request.model == "good" else "squid"
        prompt = request.messages[-1].content
        return "[[A]]" if "[Assistant A's answer]\noctopus" in prompt else "[[B]]"

    def graph(model: str) -> Any:
        return load_spec(
            spec_json(
                [("q", "input", {}), ("m", "model", {"model": model}), ("out", "output", {})],
                [("q", "m"), ("m", "out")],
            )
        )

    data = [DatasetRow(input=f"question {n}") for n in range(3)]
    judged = await judge_rows(
        (graph("good"), graph("bad")), data, FakeBackend(reply=reply), PairOptions(model="j")
    )

    result = tally(judged)
    assert result["rows"] == 3
    assert result["A"] == 3, judged
    assert result["a_win_rate"] == 1.0


def png_data_url(width: int = 8, height: int = 6) -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


async def test_rows_with_images_run_with_their_working_copies() -> None:
    seen: list[int] = []
    spec = load_spec(
        spec_json(
            [("q", "input", {}), ("m", "model", {"model": "m"}), ("out", "output", {})],
            [("q", "m"), ("m", "out")],
        )
    )
    data = [
        DatasetRow(input="what colour?", images=(png_data_url(),), choices=("x", "y"), answer="B")
    ]
    evaluation = Evaluation(spec, data, FakeBackend(reply=lambda request: "B"), EvalOptions())
    assert [image.width for image in evaluation.images[0]] == [8]

    scored = await evaluation.run(lambda row: seen.append(row.index))

    assert seen == [0]
    assert scored[0].scores["choice"].value == 1.0


def test_a_row_with_a_bad_image_is_refused_naming_the_row_and_the_image() -> None:
    data = [
        DatasetRow(input="ok", expected="x"),
        DatasetRow(input="what?", expected="x", images=({"data": "!!", "name": "cat.png"},)),
    ]
    with pytest.raises(
        EvalError, match=r"row 2: image 1 \(cat.png\): the data is not valid base64"
    ):
        Evaluation(three_way(), data, fake(), EvalOptions(scorers=("exact",)))
