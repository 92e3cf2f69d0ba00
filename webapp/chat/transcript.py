"""How a conversation becomes a run's input text.

A graph's input node takes one text (``graphs.nodes.base.RunInput``), so a multi-turn
conversation is rendered into it: the latest user message, preceded by the earlier turns as
context and by any system instructions. A conversation of one user message renders as exactly
that message, so single-turn chats and OpenAI calls run the graph on the user's own words::

    Instructions:
    <system messages, joined>

    Conversation so far:
    User: <...>
    Assistant: <...>

    Latest message:
    <the last user message>

Shared by chat sessions and the OpenAI-compatible endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MAX_TURNS = 20
"""Only the latest turns are kept as context (older ones are dropped first)."""

_LABELS = {"user": "User", "assistant": "Assistant"}
SYSTEM_ROLES = frozenset({"system", "developer"})


def render(messages: Sequence[Mapping[str, str]]) -> str:
    """The run input for ``messages`` (``{"role", "content"}``, oldest first; roles ``system``,
    ``developer``, ``user``, ``assistant``). The last message must be the user's (``ValueError``
    otherwise)."""
    if not messages or messages[-1]["role"] != "user":
        raise ValueError("the conversation must end with a user message")
    system = [m["content"] for m in messages if m["role"] in SYSTEM_ROLES]
    turns = [m for m in messages[:-1] if m["role"] in _LABELS][-MAX_TURNS:]
    latest = messages[-1]["content"]
    if not system and not turns:
        return latest
    parts = []
    if system:
        parts.append("Instructions:\n" + "\n\n".join(system))
    if turns:
        lines = [f"{_LABELS[m['role']]}: {m['content']}" for m in turns]
        parts.append("Conversation so far:\n" + "\n".join(lines))
    parts.append("Latest message:\n" + latest)
    return "\n\n".join(parts)
