"""Grading an experiment row on a model host (``workers.judge``): the job's JSON, the judge's
score from the fake backend, and failures that score None instead of leaving the row waiting."""

from __future__ import annotations

from typing import Any

import pytest

from graphs.runtime import GenerateRequest
from workers import judge_runner, settings
from workers.backends.fake import FakeBackend, fixed_reply
from workers.judge_runner import JudgeJob, run_judge

JOB = JudgeJob(model="judge-model", question="2 + 2?", answer="4", reference="4")


def test_a_judge_job_travels_as_plain_json() -> None:
    data = JOB.to_json()
    assert data == {"model": "judge-model", "question": "2 + 2?", "answer": "4", "reference": "4"}
    assert JudgeJob.from_json(data) == JOB
    assert JudgeJob.from_json({**data, "reference": None}).reference is None


def test_the_judge_grades_the_answer_through_the_client() -> None:
    client = FakeBackend(reply=fixed_reply({"judge-model": "Sound. Rating: [[8]]"}))
    score = run_judge(JOB, client=client)
    assert score == {
        "value": 0.8,
        "detail": {"grade": 8.0, "judgement": "Sound. Rating: [[8]]"},
    }
    [request] = client.calls
    assert isinstance(request, GenerateRequest)
    assert request.model == "judge-model"
    prompt = request.messages[-1].content
    assert "[Question]\n2 + 2?" in prompt
    assert "[Reference answer]\n4" in prompt


def test_a_judgement_without_a_grade_scores_none() -> None:
    score = run_judge(JOB, client=FakeBackend(reply=fixed_reply("I cannot say.")))
    assert score["value"] is None
    assert score["detail"]["error"] == "the judge gave no rating"


def test_a_missing_judge_model_scores_none_with_the_error() -> None:
    score = run_judge(JOB, client=FakeBackend(models={"other"}))
    assert score == {
        "value": None,
        "detail": {
            "error": "judge 'judge-model' failed: UnknownModelError: unknown model 'judge-model'",
            "model": "judge-model",
        },
    }


def test_a_transient_failure_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(judge_runner.asyncio, "sleep", no_sleep)
    client = FakeBackend(fail_times=2, reply=fixed_reply("Rating: [[6]]"))
    assert run_judge(JOB, client=client)["value"] == 0.6
    assert slept == [1, 2]
    failing = FakeBackend(fail_times=3)
    assert "TransientBackendError" in run_judge(JOB, client=failing)["detail"]["error"]


def test_a_judge_that_never_answers_scores_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(judge_runner, "JUDGE_TIMEOUT_S", 0.2)
    score = run_judge(JOB, client=FakeBackend(hang=True))
    assert score["value"] is None
    assert "gave no grade within 0.2 s" in score["detail"]["error"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"reply": "Rating: [[8]]"}', {"reply": "Rating: [[8]]"}),
        ('{"reply": {"m": "Rating: [[8]]"}}', {"reply": {"m": "Rating: [[8]]"}}),
    ],
)
def test_the_fake_backend_may_reply_a_fixed_text(
    raw: str, expected: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_BACKEND", raw)
    assert settings.fake_backend() == expected


def test_a_fake_reply_that_is_not_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTOGRAPH_FAKE_BACKEND", '{"reply": {"m": 8}}')
    with pytest.raises(settings.SettingsError, match="OCTOGRAPH_FAKE_BACKEND's reply"):
        settings.fake_backend()


def test_fixed_replies_by_model_leave_the_other_models_as_they_were() -> None:
    reply = fixed_reply({"judge-model": "Rating: [[8]]"})
    request = GenerateRequest(model="judge-model", messages=[])
    assert reply(request) == "Rating: [[8]]"
    other = GenerateRequest(model="worker", messages=[])
    assert reply(other) == "worker:"
