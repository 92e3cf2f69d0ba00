"""Streaming text from sampled token ids: deltas that never change once emitted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class IncrementalText:
    """Turns a growing list of token ids into text deltas that are final.

    The whole sequence is decoded each step (a few hundred tokens at most) so that tokens which
    only make sense together (byte-fallback pieces of one UTF-8 character, merges that change
    spacing) come out right. Held back until settled: a trailing incomplete character (decoded as
    U+FFFD) and a tail that could still grow into a stop string.
    """

    def __init__(self, tokenizer: Any, stop: Sequence[str]) -> None:
        self._tokenizer = tokenizer
        self._stop = [s for s in stop if s]
        self._ids: list[int] = []
        self._text = ""
        self._emitted = 0

    def add(self, token: int) -> tuple[str, bool]:
        """Add ``token``; return (new final text, whether a stop string was reached)."""
        self._ids.append(token)
        self._text = self._tokenizer.decode(self._ids, skip_special_tokens=True)
        cut = self._stop_index()
        if cut is not None:
            self._text = self._text[:cut]
            return self._take(len(self._text)), True
        safe = len(self._text.rstrip("\ufffd"))
        safe -= self._stop_prefix_len(self._text[:safe])
        return self._take(safe), False

    def flush(self) -> str:
        """Everything not yet emitted (the generation has ended)."""
        return self._take(len(self._text))

    def _take(self, end: int) -> str:
        end = max(end, self._emitted)
        delta = self._text[self._emitted : end]
        self._emitted = end
        return delta

    def _stop_index(self) -> int | None:
        # A stop string may straddle the emitted boundary only by less than its own length.
        hits = [
            i
            for s in self._stop
            if (i := self._text.find(s, max(0, self._emitted - len(s) + 1))) >= 0
        ]
        return min(hits) if hits else None

    def _stop_prefix_len(self, text: str) -> int:
        """Length of the longest tail of ``text`` that is a proper prefix of a stop string."""
        best = 0
        for s in self._stop:
            for n in range(min(len(s) - 1, len(text)), best, -1):
                if text.endswith(s[:n]):
                    best = n
                    break
        return best
