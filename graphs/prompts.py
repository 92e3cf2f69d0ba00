"""Prompts the engine writes for models: Mixture-of-Agents aggregation and routing."""

from __future__ import annotations

import string
from collections.abc import Sequence

from graphs.runtime import Message

# The Mixture-of-Agents "Aggregate-and-Synthesize" prompt, in our own words, keeping the paper's
# structure: the numbered responses, an instruction to evaluate them critically (they may be
# biased or wrong), and to write one synthesized answer rather than repeat any of them.
AGGREGATE_AND_SYNTHESIZE = (
    "You have been given several responses from different assistants to the user's latest "
    "question. Combine them into one answer of the highest quality. Judge the responses "
    "critically: some of their content may be biased, outdated or simply wrong. Do not copy any "
    "single response; write a refined, accurate and complete reply that stands on its own, is "
    "well organised, and meets the highest standards of correctness and usefulness.\n\n"
    "Responses from the assistants:"
)


def aggregate_system_prompt(references: Sequence[str], own_system: str = "") -> str:
    """The system prompt of an aggregating model node: its own instructions, then the references.

    ``references`` are the previous layer's answers, shown numbered from 1 in the given order.
    """
    numbered = "\n".join(f"{i}. {answer.strip()}" for i, answer in enumerate(references, start=1))
    parts = [own_system.strip(), AGGREGATE_AND_SYNTHESIZE, numbered]
    return "\n\n".join(part for part in parts if part)


# In-context routing: the baseline Octopus v2 improves on. Every candidate's description is read
# in context and the model answers with one letter, whose probability is read off one forward pass.
ROUTER_LABELS = tuple(string.ascii_uppercase)

ROUTER_INSTRUCTIONS = (
    "You are a router. Choose the one expert best suited to answer the user's request. "
    "The experts are:\n{options}\n\n"
    "Reply with the letter of the best expert only."
)


def router_messages(query: str, descriptions: Sequence[str]) -> list[Message]:
    """Chat messages asking a model to pick one of ``descriptions`` by letter (A, B, ...).

    Raises ``ValueError`` when there are more candidates than letters.
    """
    if len(descriptions) > len(ROUTER_LABELS):
        raise ValueError(f"in-context routing supports at most {len(ROUTER_LABELS)} candidates")
    options = "\n".join(
        f"{label}. {description}"
        for label, description in zip(ROUTER_LABELS, descriptions, strict=False)
    )
    return [
        Message("system", ROUTER_INSTRUCTIONS.format(options=options)),
        Message("user", query),
    ]


# Functional-token routing: the trained router reads no description at all (that is the point of
# Octopus v2's functional tokens). The short system prompt replaces the chat template's default
# one, which would cost tokens on every decision; trainer and router must use the same messages.
FUNCTIONAL_TOKEN_INSTRUCTIONS = (
    "Route the query to the right worker and rewrite it for that worker."
)


def functional_token_messages(query: str) -> list[Message]:
    """Chat messages a functional-token router is trained on and asked with."""
    return [Message("system", FUNCTIONAL_TOKEN_INSTRUCTIONS), Message("user", query)]
