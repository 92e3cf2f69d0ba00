"""The decoder's incremental detokenizer: UTF-8 pieces and stop strings (stub tokenizer)."""

from __future__ import annotations

from workers.backends.incremental_text import IncrementalText


class ByteTokenizer:
    """Token i is ``pieces[i]``; decoding joins the bytes like byte-fallback tokenizers do."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    def decode(self, ids: list[int], skip_special_tokens: bool = True) -> str:
        return b"".join(self.pieces[i] for i in ids).decode("utf-8", errors="replace")


def feed(pieces: list[bytes], stop: tuple[str, ...] = ()) -> tuple[list[str], bool, str]:
    text = IncrementalText(ByteTokenizer(pieces), stop)
    deltas, stopped = [], False
    for token in range(len(pieces)):
        delta, stopped = text.add(token)
        deltas.append(delta)
        if stopped:
            break
    return deltas, stopped, text.flush()


def test_a_character_split_over_two_tokens_comes_out_whole() -> None:
    deltas, stopped, rest = feed([b"caf", b"\xc3", b"\xa9", b" ok"])

    assert deltas == ["caf", "", "é", " ok"]
    assert (stopped, rest) == (False, "")


def test_text_is_cut_at_a_stop_string_spanning_tokens() -> None:
    deltas, stopped, rest = feed([b"Red, Bl", b"ue and", b" more"], stop=("Blue",))

    assert stopped
    assert "".join(deltas) + rest == "Red, "
    assert deltas[0] == "Red, "  # "Bl" is held back: it may start the stop string


def test_a_held_back_stop_prefix_is_released_when_it_does_not_match() -> None:
    deltas, stopped, rest = feed([b"a Bl", b"ack cat"], stop=("Blue",))

    assert not stopped
    assert deltas == ["a ", "Black cat"]
    assert rest == ""


def test_flush_releases_what_was_held_back_at_the_end() -> None:
    deltas, stopped, rest = feed([b"end B"], stop=("Blue",))

    assert (deltas, stopped, rest) == (["end "], False, "B")
