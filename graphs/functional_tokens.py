"""The functional-token call format of a trained router (Octopus v2/v4), pure text in and out.

A router adapter answers ``<nexa_k>('reformatted query')<nexa_end>``: the functional token picks
worker k (the router edge whose ``token`` is k) and the quoted text is the query rewritten for that
worker. The quotes are not escaped when writing (the model is trained on raw text, apostrophes
included), so parsing takes everything between the opening ``('`` and the *last* ``')``.

Token layout, shared by every router adapter of a base model (so several routers can be attached
to one shared base and one shared tokenizer): ``<nexa_end>`` is added first, then ``<nexa_0>``,
``<nexa_1>``, ... in order, so ``<nexa_end>`` always has id ``V`` and ``<nexa_k>`` id ``V + 1 + k``
where ``V`` is the base tokenizer's size. ``functional_token_names(n)`` gives that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

END_TOKEN = "<nexa_end>"
_TOKEN_RE = re.compile(r"<nexa_(\d+)>")

CALL_ARGUMENTS = "call_arguments"
"""Key of a functional-token router's result data that holds the call's argument list as the
adapter wrote it (``call_arguments``), for a ``tool`` node to bind to its argument schema."""


def token_name(index: int) -> str:
    """``4`` -> ``'<nexa_4>'``. Raises ``ValueError`` for a negative index."""
    if index < 0:
        raise ValueError(f"functional token index must be >= 0, got {index}")
    return f"<nexa_{index}>"


def functional_token_names(count: int) -> list[str]:
    """The tokens a router with ``count`` functional tokens adds, in id order (see module doc)."""
    return [END_TOKEN, *(token_name(k) for k in range(count))]


def format_call(index: int, query: str) -> str:
    """The training target for routing ``query`` (already reformatted) to worker ``index``."""
    return f"{token_name(index)}('{query.strip()}'){END_TOKEN}"


@dataclass(frozen=True)
class FunctionalCall:
    """A parsed router answer. ``token`` is None when no functional token was found;
    ``complete`` says whether the answer ended with ``<nexa_end>``."""

    token: int | None
    query: str
    complete: bool


def parse_call(text: str, *, fallback_query: str = "") -> FunctionalCall:
    """Parse a router's answer, tolerating what small models get wrong.

    Accepted: whitespace anywhere around the parts; a missing ``<nexa_end>`` (generation cut
    short); missing parentheses or quotes; double instead of single quotes; apostrophes inside the
    query (raw or backslash-escaped); text after ``<nexa_end>`` (ignored). The text parsed starts
    at the first functional token; without one, ``token`` is None and the whole text is the query.
    An empty query yields ``fallback_query`` (the caller's original query).
    """
    token, body, complete = _split(text)
    query = _unwrap(body)
    return FunctionalCall(token=token, query=query or fallback_query.strip(), complete=complete)


def call_arguments(text: str) -> str:
    """A router answer's argument list as written, for a tool to parse:
    ``<nexa_2>('5', 'km')<nexa_end>`` -> ``('5', 'km')``. It runs from the first functional token
    (the start, without one) to ``<nexa_end>`` (the end, without one), stripped."""
    return _split(text)[1]


def _split(text: str) -> tuple[int | None, str, bool]:
    """``(token, body, complete)``: the first functional token's index, the stripped text after
    it up to ``<nexa_end>``, and whether ``<nexa_end>`` was found."""
    match = _TOKEN_RE.search(text)
    token = int(match.group(1)) if match else None
    rest = text[match.end() :] if match else text
    end = rest.find(END_TOKEN)
    if end >= 0:
        rest = rest[:end]
    return token, rest.strip(), end >= 0


def _unwrap(text: str) -> str:
    """``('a query')`` -> ``a query``: strip one layer of parentheses, then of matching quotes."""
    if text.startswith("("):
        text = text[1:]
        if text.rstrip().endswith(")"):
            text = text.rstrip()[:-1]
    text = text.strip()
    for quote in ("'", '"'):
        if text.startswith(quote):
            text = text[1:]
            if text.endswith(quote):
                text = text[:-1]
            break
    return text.replace("\\'", "'").replace('\\"', '"').strip()
