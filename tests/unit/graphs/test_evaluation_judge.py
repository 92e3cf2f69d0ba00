"""The judge: prompts, reading grades and preferences, and the calls through a fake client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from graphs.evaluation.judge import (
    judge_pair,
    judge_single,
    pairwise_messages,
    pairwise_verdict,
    parse_grade,
    parse_preference,
    single_grade_messages,
)
from graphs.evaluation.scorers import Score
from graphs.runtime import Chunk, GenerateRequest


class ScriptedJudge:
    """Answers each generate() with the next scripted reply, in two chunks."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.requests: list[GenerateRequest] = []

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        self.requests.append(request)
        reply = self.replies.pop(0)
        middle = len(reply) // 2
        yield Chunk(text=reply[:middle])
        yield Chunk(text=reply[middle:], done=True, tokens_in=10, tokens_out=5)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the judge should only generate, not call {name}")


def test_single_grade_messages() -> None:
    messages = single_grade_messages("What is 2+2?", "4", "4")
    assert [m.role for m in messages] == ["system", "user"]
    assert "Rating: [[5]]" in messages[0].content
    assert "[Reference answer]\n4" in messages[1].content
    assert messages[1].content.startswith("[Question]\nWhat is 2+2?")
    assert "[Reference answer]" not in single_grade_messages("q", "a", None)[1].content
    assert "[Reference answer]" not in single_grade_messages("q", "a", "  ")[1].content


def test_pairwise_messages() -> None:
    messages = pairwise_messages("q", "first answer", "second answer")
    assert '"[[C]]" for a tie' in messages[0].content
    user = messages[1].content
    assert user.index("first answer") < user.index("second answer")
    assert "[Assistant A's answer]\nfirst answer" in user


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("The answer is fine. Rating: [[7]]", 7.0),
        ("Rating: [[8.5]]", 8.5),
        ("[[ 9 ]]", 9.0),
        ("Rating: 7/10", 7.0),
        ("rating: 6", 6.0),
        ("My score is 4 out of 10", 4.0),
        ("I give it 3/10.", 3.0),
        ("Rating: [6]", 6.0),
        ("[[10]] excellent", 10.0),
        ("Rating: [[0]] then Rating: 5", 5.0),
        ("Rating: [[11]]", None),
        ("no rating here", None),
        ("", None),
    ],
)
def test_parse_grade(text: str, grade: float | None) -> None:
    assert parse_grade(text) == grade


@pytest.mark.parametrize(
    ("text", "preference"),
    [
        ("Assistant A is clearly better. [[A]]", "A"),
        ("[[B]]", "B"),
        ("Both are equally good: [[C]]", "tie"),
        ("Options are [[A]], [[B]] or [[C]]. Final verdict: [[B]]", "B"),
        ("[[ A ]]", "A"),
        ("A is better", None),
        ("", None),
    ],
)
def test_parse_preference(text: str, preference: str | None) -> None:
    assert parse_preference(text) == preference


@pytest.mark.parametrize(
    ("first", "swapped", "verdict"),
    [
        ("A", "B", "A"),  # A first, then A (shown second) again
        ("B", "A", "B"),
        ("A", "A", "tie"),  # position bias: each order prefers the first answer
        ("B", "B", "tie"),
        ("tie", "tie", "tie"),
        ("A", "tie", "tie"),
        (None, "B", None),
        ("A", None, None),
    ],
)
def test_pairwise_verdict(first: str | None, swapped: str | None, verdict: str | None) -> None:
    assert pairwise_verdict(first, swapped) == verdict


async def test_judge_single_scores_the_grade_over_ten() -> None:
    client = ScriptedJudge("Accurate and complete. Rating: [[8]]")
    score = await judge_single(client, model="judge", question="q", answer="a", reference="r")
    assert score == Score(0.8, {"grade": 8.0, "judgement": "Accurate and complete. Rating: [[8]]"})
    request = client.requests[0]
    assert request.model == "judge"
    assert request.params.temperature == 0
    assert "[Reference answer]\nr" in request.messages[1].content


async def test_judge_single_without_a_rating_is_not_applicable() -> None:
    score = await judge_single(
        ScriptedJudge("I cannot judge this."), model="j", question="q", answer="a", reference=None
    )
    assert score.value is None
    assert score.detail["error"] == "the judge gave no rating"


async def test_judge_pair_asks_both_orders() -> None:
    client = ScriptedJudge("[[A]]", "[[B]]")
    result = await judge_pair(client, model="j", question="q", answer_a="one", answer_b="two")
    assert result == {
        "verdict": "A",
        "first": "A",
        "swapped": "B",
        "judgements": ["[[A]]", "[[B]]"],
    }
    first, swapped = (r.messages[1].content for r in client.requests)
    assert first.index("one") < first.index("two")
    assert swapped.index("two") < swapped.index("one")
