"""How a conversation becomes a run's input text (``webapp.chat.transcript``)."""

from __future__ import annotations

import pytest

from webapp.chat.transcript import MAX_TURNS, render


def test_a_single_user_message_is_the_input_as_it_is() -> None:
    assert render([{"role": "user", "content": "What is 2 + 2?"}]) == "What is 2 + 2?"


def test_instructions_and_earlier_turns_precede_the_latest_message() -> None:
    text = render(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello!"},
            {"role": "user", "content": "Name a colour."},
        ]
    )
    assert text == (
        "Instructions:\nBe brief.\n\n"
        "Conversation so far:\nUser: Hi\nAssistant: Hello!\n\n"
        "Latest message:\nName a colour."
    )


def test_only_the_latest_turns_are_kept() -> None:
    turns = [{"role": "user", "content": f"q{i}"} for i in range(MAX_TURNS + 5)]
    text = render(turns)
    # The last message is the latest; the 20 before it are the context.
    assert "User: q3\n" not in text
    assert "User: q4\n" in text


def test_a_conversation_must_end_with_the_user() -> None:
    with pytest.raises(ValueError, match="user message"):
        render([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}])
