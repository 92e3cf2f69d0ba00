"""Evaluation datasets through the API: uploads (JSONL, CSV) checked whole, every problem listed
by line and nothing stored on a bad file; built-in copies; datasets from a graph's past runs;
who may create, read and delete them."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from graphs.evaluation.scorers import SCORERS
from tests.image_files import encoded
from webapp.accounts.models import Team
from webapp.evaluation import services
from webapp.evaluation.models import Dataset, DatasetRow
from webapp.graphstore.models import Graph
from webapp.runs.models import Run, RunUpload

GOOD_JSONL = "\n".join(
    json.dumps(row)
    for row in (
        {"input": "What is 2 + 2?", "expected": "4"},
        {"input": "Capital of France?", "choices": ["Paris", "Rome"], "answer": "A"},
        {"input": "Route me", "route": "math", "metadata": {"id": 3}},
    )
)


def upload(
    client: APIClient, team: Team, content: str | bytes, filename: str, **fields: Any
) -> Any:
    file = io.BytesIO(content.encode() if isinstance(content, str) else content)
    file.name = filename
    return client.post(
        "/api/datasets/", {"team": team.pk, "file": file, **fields}, format="multipart"
    )


# --- uploads ---------------------------------------------------------------------------------


def test_an_editor_uploads_a_jsonl_dataset_and_reads_its_rows(
    as_editor: APIClient, as_viewer: APIClient, team: Team
) -> None:
    response = upload(as_editor, team, GOOD_JSONL, "mixed.jsonl", description="three kinds")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "mixed.jsonl"
    assert (body["team"], body["source"], body["filename"]) == (team.pk, "upload", "mixed.jsonl")
    assert body["row_count"] == 3
    assert body["fields"] == ["answer", "choices", "expected", "metadata", "route"]
    assert body["created_by"] == "eddie"

    rows = as_viewer.get(f"/api/datasets/{body['id']}/rows/?offset=1&limit=1").json()
    assert rows == {
        "count": 3,
        "rows": [
            {
                "index": 1,
                "input": "Capital of France?",
                "choices": ["Paris", "Rome"],
                "answer": "A",
            }
        ],
    }
    listed = as_viewer.get(f"/api/datasets/?team={team.pk}").json()["results"]
    assert [d["id"] for d in listed] == [body["id"]]


def test_a_csv_dataset_reads_its_columns(as_editor: APIClient, team: Team) -> None:
    csv = 'input,expected,choices,answer\n"Pick one",,A|B|C,b\n"Sum, please",5,,\n'
    response = upload(as_editor, team, csv, "quiz.csv", name="Quiz")
    assert response.status_code == 201, response.content
    dataset = Dataset.objects.get(pk=response.json()["id"])
    assert dataset.name == "Quiz"
    assert [row.data for row in dataset.rows.order_by("index")] == [
        {"input": "Pick one", "choices": ["A", "B", "C"], "answer": "B"},
        {"input": "Sum, please", "expected": "5"},
    ]


def test_a_bad_file_lists_every_problem_by_line_and_stores_nothing(
    as_editor: APIClient, team: Team
) -> None:
    bad = "\n".join(
        [
            json.dumps({"input": "fine"}),
            "{not json",
            json.dumps({"input": "", "answer": "E", "choices": ["a", "b"]}),
            json.dumps({"input": "x", "colour": "red"}),
        ]
    )
    response = upload(as_editor, team, bad, "bad.jsonl")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_dataset"
    assert body["message"] == "the file has 4 problems"
    assert [(p["line"], p["field"]) for p in body["problems"]] == [
        (2, None),
        (3, "input"),
        (3, "answer"),
        (4, "colour"),
    ]
    assert "must be one letter A-B" in body["problems"][2]["message"]
    assert not Dataset.objects.exists()
    assert not DatasetRow.objects.exists()


def test_rows_whose_images_a_run_would_refuse_are_problems_with_their_line(
    as_editor: APIClient, team: Team
) -> None:
    png = base64.b64encode(encoded("PNG", (8, 8))).decode()
    not_an_image = base64.b64encode(b"plain text, not pixels").decode()
    lines = [
        json.dumps({"input": "a picture", "images": [f"data:image/png;base64,{png}"]}),
        "",
        json.dumps({"input": "a fake", "images": [{"data": not_an_image, "name": "fake.png"}]}),
    ]
    response = upload(as_editor, team, "\n".join(lines), "images.jsonl")
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert (problem["line"], problem["field"]) == (3, "images")
    assert problem["message"].startswith("image 1 (fake.png)")
    assert not Dataset.objects.exists()

    response = upload(as_editor, team, lines[0], "images.jsonl")
    assert response.status_code == 201, response.content
    assert response.json()["fields"] == ["images"]


def test_csv_problems_name_the_line_each_record_starts_on(as_editor: APIClient, team: Team) -> None:
    png = base64.b64encode(b"not an image").decode()
    images = json.dumps([{"data": png}]).replace('"', '""')
    csv = f'input,images\n"two\nlines",\nthird,"{images}"\n'
    response = upload(as_editor, team, csv, "multi.csv")
    assert response.status_code == 400
    assert [(p["line"], p["field"]) for p in response.json()["problems"]] == [(4, "images")]


def test_text_with_a_nul_character_is_refused(as_editor: APIClient, team: Team) -> None:
    response = upload(as_editor, team, json.dumps({"input": "a\u0000b"}), "nul.jsonl")
    assert response.status_code == 400
    assert response.json()["problems"][0]["line"] == 1
    assert "NUL" in response.json()["problems"][0]["message"]


def test_an_unknown_file_type_and_an_oversized_file_are_refused(
    as_editor: APIClient, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = upload(as_editor, team, GOOD_JSONL, "data.xlsx")
    assert response.status_code == 400
    assert "not a supported file type (use .jsonl, .ndjson, .csv)" in str(response.json())

    monkeypatch.setattr(services, "MAX_DATASET_BYTES", 100)
    response = upload(as_editor, team, GOOD_JSONL, "big.jsonl")
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"


# --- other sources ----------------------------------------------------------------------------


def test_a_builtin_dataset_is_copied_for_the_team(as_editor: APIClient, team: Team) -> None:
    listed = as_editor.get("/api/datasets/builtin/").json()
    assert {d["name"]: d["rows"] for d in listed} == {"mmlu-1700": 1700, "mt-bench-80": 80}

    response = as_editor.post(
        "/api/datasets/", {"team": team.pk, "builtin": "mt-bench-80"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["builtin"], body["row_count"]) == ("builtin", "mt-bench-80", 80)
    assert body["name"] == "MT-Bench: 80 open questions"
    assert DatasetRow.objects.filter(dataset_id=body["id"]).count() == 80

    response = as_editor.post(
        "/api/datasets/", {"team": team.pk, "builtin": "gsm8k"}, format="json"
    )
    assert response.status_code == 400
    response = as_editor.post("/api/datasets/", {"team": team.pk}, format="json")
    assert response.status_code == 400
    assert "exactly one of 'builtin' and 'from_runs'" in str(response.json())


def _past_run(graph: Graph, owner: User, text: str, output: str, **fields: Any) -> Run:
    return Run.objects.create(
        graph=graph,
        version=graph.versions.get(number=1),
        created_by=owner,
        input=text,
        output=output,
        finished_at=timezone.now(),
        **{"status": "completed", **fields},
    )


def test_a_dataset_from_past_runs_takes_their_inputs_and_outputs_newest_first(
    as_editor: APIClient, team: Team, graph: Graph, owner: User
) -> None:
    first = _past_run(graph, owner, "first question", "first answer")
    RunUpload.objects.create(
        run=first,
        number=1,
        name="dot.gif",
        original_type="image/gif",
        original=encoded("GIF", (4, 4)),
        original_bytes=10,
        media_type="image/png",
        data=b"",
        width=4,
        height=4,
    )
    _past_run(graph, owner, "failed question", "", status="failed")
    _past_run(graph, owner, "routed only", "", routing_only=True)
    _past_run(graph, owner, "second question", "second answer")

    response = as_editor.post(
        "/api/datasets/",
        {"team": team.pk, "from_runs": {"graph": graph.pk, "limit": 5}},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["source"], body["row_count"]) == ("Runs of Helper", "runs", 2)
    rows = [row.data for row in DatasetRow.objects.filter(dataset_id=body["id"]).order_by("index")]
    assert [(r["input"], r["expected"]) for r in rows] == [
        ("second question", "second answer"),
        ("first question", "first answer"),
    ]
    assert rows[1]["images"][0]["media_type"] == "image/gif"
    assert rows[1]["metadata"]["run"] == first.pk


def test_a_graph_without_completed_runs_makes_no_dataset(
    as_editor: APIClient, team: Team, graph: Graph
) -> None:
    response = as_editor.post(
        "/api/datasets/", {"team": team.pk, "from_runs": {"graph": graph.pk}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "no_runs"


def test_runs_of_another_teams_graph_cannot_fill_this_teams_dataset(
    as_editor: APIClient, team: Team, editor: User, graph: Graph, owner: User
) -> None:
    _past_run(graph, owner, "question", "answer")
    response = as_editor.post(
        "/api/datasets/",
        {"team": editor.personal_team.pk, "from_runs": {"graph": graph.pk}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "other_team"


# --- access -----------------------------------------------------------------------------------


def test_viewers_read_but_cannot_create_and_outsiders_see_nothing(
    as_editor: APIClient, as_viewer: APIClient, as_outsider: APIClient, team: Team
) -> None:
    dataset_id = upload(as_editor, team, GOOD_JSONL, "d.jsonl").json()["id"]
    assert as_viewer.get(f"/api/datasets/{dataset_id}/").status_code == 200
    refused = upload(as_viewer, team, GOOD_JSONL, "d.jsonl")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert as_viewer.delete(f"/api/datasets/{dataset_id}/").status_code == 403
    assert as_outsider.get(f"/api/datasets/{dataset_id}/").status_code == 404
    assert as_outsider.get(f"/api/datasets/{dataset_id}/rows/").status_code == 404
    assert as_outsider.get("/api/datasets/").json()["results"] == []
    assert upload(as_outsider, team, GOOD_JSONL, "d.jsonl").status_code == 404


def test_an_editor_deletes_a_dataset(as_editor: APIClient, team: Team) -> None:
    dataset_id = upload(as_editor, team, GOOD_JSONL, "d.jsonl").json()["id"]
    assert as_editor.delete(f"/api/datasets/{dataset_id}/").status_code == 204
    assert not Dataset.objects.exists()
    assert not DatasetRow.objects.exists()


def test_rows_pages_are_bounded(as_editor: APIClient, team: Team) -> None:
    dataset_id = upload(as_editor, team, GOOD_JSONL, "d.jsonl").json()["id"]
    assert as_editor.get(f"/api/datasets/{dataset_id}/rows/?limit=501").status_code == 400
    assert as_editor.get(f"/api/datasets/{dataset_id}/rows/?offset=5").json()["rows"] == []


def test_the_scorers_are_listed_with_what_they_need(as_viewer: APIClient) -> None:
    scorers = {s["name"]: s for s in as_viewer.get("/api/evaluation/scorers/").json()}
    # Every registered scorer (tests/unit/graphs/test_evaluation_scorers.py names them).
    assert set(scorers) == set(SCORERS)
    assert scorers["choice"]["needs"] == ["answer", "choices"]
    assert scorers["route"]["routing_only"] is True
    assert scorers["judge"]["supported"] is True  # with its model option (a catalog key)
