"""LLM-as-a-judge, after MT-Bench (Zheng et al., 2023): prompts, verdict parsing and the calls.

Prompts are written in our own words, keeping MT-Bench's structure: single-answer grading asks
for ``Rating: [[N]]`` (1 to 10, an optional reference answer shown to the judge), and pairwise
comparison for ``[[A]]``, ``[[B]]`` or ``[[C]]`` (a tie). Pairwise verdicts are asked in both
orders to cancel the judge's position bias. The model call is injected (a ``ModelClient``), so
this module stays pure and testable with a fake client.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from graphs.evaluation.scorers import Score
from graphs.runtime import GenerateRequest, GenerationParams, Message, ModelClient

Preference = Literal["A", "B", "tie"]

JUDGE_PARAMS = GenerationParams(temperature=0.0, max_tokens=256)

SINGLE_SYSTEM = (
    "You are a fair and careful judge of answers written by an AI assistant. Assess how well the "
    "answer serves the user: is it helpful, relevant, accurate, deep enough, creative where that "
    "matters, and detailed at the right level? When a reference answer is given, compare the "
    "assistant's answer with it and treat departures from it as mistakes. Start with a short "
    "explanation, as objective as you can make it. Then rate the answer from 1 (useless) to 10 "
    '(excellent), written exactly like this: "Rating: [[5]]".'
)

PAIRWISE_SYSTEM = (
    "You are a fair and careful judge. Two AI assistants, A and B, answered the same question from "
    "a user. Decide which one answered better: follow the user's instructions and weigh "
    "helpfulness, relevance, accuracy, depth, creativity and level of detail. Do not let the "
    "order of the answers, their length or the assistants' names sway you; be as objective as you "
    "can. Explain your comparison briefly, then give your verdict in exactly this form: "
    '"[[A]]" if assistant A is better, "[[B]]" if assistant B is better, "[[C]]" for a tie.'
)


def single_grade_messages(question: str, answer: str, reference: str | None) -> list[Message]:
    """The messages asking a judge to rate ``answer`` to ``question`` from 1 to 10, as
    ``Rating: [[N]]``; ``reference`` (if given) is shown as the correct answer to compare with."""
    parts = [f"[Question]\n{question.strip()}"]
    if reference is not None and reference.strip():
        parts.append(f"[Reference answer]\n{reference.strip()}")
    parts.append(f"[The assistant's answer]\n{answer.strip()}")
    return [Message("system", SINGLE_SYSTEM), Message("user", "\n\n".join(parts))]


def pairwise_messages(question: str, answer_a: str, answer_b: str) -> list[Message]:
    """The messages asking a judge which of two answers is better: ``[[A]]``, ``[[B]]`` or
    ``[[C]]`` (a tie)."""
    user = (
        f"[Question]\n{question.strip()}\n\n"
        f"[Assistant A's answer]\n{answer_a.strip()}\n[End of assistant A's answer]\n\n"
        f"[Assistant B's answer]\n{answer_b.strip()}\n[End of assistant B's answer]"
    )
    return [Message("system", PAIRWISE_SYSTEM), Message("user", user)]


_NUMBER = r"(\d+(?:\.\d+)?)"
_GRADE_PATTERNS = (
    re.compile(r"\[\[\s*" + _NUMBER + r"\s*(?:/\s*10\s*)?\]\]"),
    re.compile(r"\brating\s*(?:is|of)?\s*[:=]?\s*\[?\s*" + _NUMBER + r"(?:\s*/\s*10)?", re.I),
    re.compile(r"\b(?:score|grade)\s*(?:is|of)?\s*[:=]?\s*" + _NUMBER + r"(?:\s*/\s*10)?", re.I),
    re.compile(_NUMBER + r"\s*/\s*10\b"),
    re.compile(r"\[\s*" + _NUMBER + r"\s*\]"),
)


def parse_grade(text: str) -> float | None:
    """The judge's rating, 1..10: the first ``[[N]]``, else ``Rating: N`` (``N/10``), else
    ``Score: N``, else ``N/10``, else ``[N]``. None when there is none or it is out of range."""
    for pattern in _GRADE_PATTERNS:
        for match in pattern.finditer(text):
            grade = float(match.group(1))
            if 1 <= grade <= 10:
                return grade
    return None


_VERDICT = re.compile(r"\[\[\s*([ABC])\s*\]\]")


def parse_preference(text: str) -> Preference | None:
    """The verdict of a pairwise judgement: ``"A"``, ``"B"`` or ``"tie"`` (``[[C]]``). When
    several verdicts appear, the last one counts (judges restate the options before deciding).
    None when there is none."""
    verdicts = _VERDICT.findall(text)
    if not verdicts:
        return None
    last = verdicts[-1]
    return "tie" if last == "C" else "A" if last == "A" else "B"


def pairwise_verdict(
    first: Preference | str | None, swapped: Preference | str | None
) -> Preference | None:
    """Combine the verdicts of both orders. ``first`` judged (A, B); ``swapped`` judged the same
    answers as (B, A), so its ``"A"`` means answer B. An answer wins only when it wins both
    orders; any disagreement is a tie. None when either verdict is missing."""
    if first is None or swapped is None:
        return None
    unswapped = {"A": "B", "B": "A"}.get(swapped, "tie")
    if first == unswapped and first in ("A", "B"):
        return "A" if first == "A" else "B"
    return "tie"


async def _generate(
    client: ModelClient, model: str, messages: list[Message], params: GenerationParams
) -> str:
    parts: list[str] = []
    async for chunk in client.generate(
        GenerateRequest(model=model, messages=messages, params=params)
    ):
        parts.append(chunk.text)
    return "".join(parts)


async def judge_single(
    client: ModelClient,
    *,
    model: str,
    question: str,
    answer: str,
    reference: str | None = None,
    params: GenerationParams = JUDGE_PARAMS,
) -> Score:
    """Ask judge ``model`` to rate ``answer``: ``Score(grade / 10, {"grade", "judgement"})``, or
    ``Score(None, {"grade": None, "judgement", "error"})`` when no rating can be read.
    ``BackendError`` from the client propagates."""
    judgement = await _generate(
        client, model, single_grade_messages(question, answer, reference), params
    )
    grade = parse_grade(judgement)
    if grade is None:
        return Score(
            None, {"grade": None, "judgement": judgement, "error": "the judge gave no rating"}
        )
    return Score(round(grade / 10, 6), {"grade": grade, "judgement": judgement})


async def judge_pair(
    client: ModelClient,
    *,
    model: str,
    question: str,
    answer_a: str,
    answer_b: str,
    params: GenerationParams = JUDGE_PARAMS,
) -> dict[str, Any]:
    """Ask judge ``model`` which answer is better, in both orders.

    Returns ``{"verdict": "A" | "B" | "tie" | None, "first", "swapped"`` (each order's parsed
    verdict; ``swapped`` as the judge wrote it, where A is ``answer_b``), ``"judgements":
    [first text, swapped text]}``. ``BackendError`` from the client propagates.
    """
    first_text = await _generate(
        client, model, pairwise_messages(question, answer_a, answer_b), params
    )
    swapped_text = await _generate(
        client, model, pairwise_messages(question, answer_b, answer_a), params
    )
    first = parse_preference(first_text)
    swapped = parse_preference(swapped_text)
    return {
        "verdict": pairwise_verdict(first, swapped),
        "first": first,
        "swapped": swapped,
        "judgements": [first_text, swapped_text],
    }
