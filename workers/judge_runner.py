"""Grading one experiment row's answer on a model host, for the ``judge`` scorer of the web app.

The web app sends a ``JudgeJob`` (plain JSON: the row's question, the run's answer, the reference
answer and the judge model's catalog key) to the judge model's queue; the host asks the model
through the process's ``ModelClient`` (``graphs.evaluation.judge.judge_single``, MT-Bench
single-answer grading) and returns the ``Score`` as JSON, which the task sends back by name.
Nothing here touches the database or imports the web app.

A judge that cannot answer (unknown model, backend error, no answer within ``JUDGE_TIMEOUT_S``)
still gives a score: ``Score(None, {"error": ...})``, so that the row is never left waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphs.evaluation.judge import judge_single
from graphs.evaluation.scorers import Score
from graphs.runtime import ModelClient, TransientBackendError
from workers import aio

JUDGE_TIMEOUT_S = 300.0
"""The longest one judgement may take (a grading is at most 256 tokens); then the row's judge
score is None with the reason."""
TRANSIENT_TRIES = 3
"""Tries of a judgement whose backend fails transiently (1 s, then 2 s apart)."""


@dataclass(frozen=True)
class JudgeJob:
    """What a model host needs to grade one answer: ``model`` (catalog key), ``question`` (the
    row's input), ``answer`` (the run's output) and ``reference`` (the expected answer, or
    None)."""

    model: str
    question: str
    answer: str
    reference: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "question": self.question,
            "answer": self.answer,
            "reference": self.reference,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JudgeJob:
        """Raises ``KeyError``/``TypeError`` for a message that is not a job."""
        reference = data.get("reference")
        return cls(
            model=str(data["model"]),
            question=str(data["question"]),
            answer=str(data["answer"]),
            reference=None if reference is None else str(reference),
        )


def run_judge(job: JudgeJob, *, client: ModelClient) -> dict[str, Any]:
    """Grade ``job`` on the process's background loop (blocks until then); the ``Score`` as
    JSON. Never raises for a failing model: the score is then None with ``detail.error``."""
    try:
        score = aio.run(_judge(job, client), timeout=JUDGE_TIMEOUT_S)
    except TimeoutError:
        score = judge_failure(job, f"the judge model gave no grade within {JUDGE_TIMEOUT_S:g} s")
    except Exception as error:  # a failing judge scores None; the row must not wait forever
        score = judge_failure(job, f"{type(error).__name__}: {error}")
    return score.to_json()


async def _judge(job: JudgeJob, client: ModelClient) -> Score:
    for attempt in range(1, TRANSIENT_TRIES + 1):
        try:
            return await judge_single(
                client,
                model=job.model,
                question=job.question,
                answer=job.answer,
                reference=job.reference,
            )
        except TransientBackendError:
            if attempt == TRANSIENT_TRIES:
                raise
            await asyncio.sleep(2 ** (attempt - 1))
    raise AssertionError("unreachable")


def judge_failure(job: JudgeJob, reason: str) -> Score:
    """The score of a judge that could not grade ``job``: None, with ``reason``."""
    return Score(None, {"error": f"judge {job.model!r} failed: {reason}", "model": job.model})
