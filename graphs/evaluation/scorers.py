"""Scorers: how well one run answered one dataset row, as a number in [0, 1].

A run is first reduced to an ``Observation`` (``observe`` reads its events, in the one event
schema of ``graphs.events``); each scorer then compares the observation with the row. Scorers are
pure and never raise out of ``score()`` for bad data: a row-level problem (a bad pattern, an
expected value that is not a number) is ``Score(None, {"error": ...})``, and ``None`` means "not
applicable to this row" (left out of the mean).

A failed (or cancelled) run scores 0 on every scorer that applies to the row, with the run's error
in the detail, except ``route`` when the router decided before the failure.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from graphs.evaluation.dataset import DatasetRow

COMPLETED = "completed"
FAILED = "failed"
CANCELLED = "cancelled"


# --- what a run gave ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One router's decision in a run (from its ``router.decision`` event)."""

    target: str
    probability: float
    scores: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "probability": self.probability, "scores": dict(self.scores)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            target=str(data["target"]),
            probability=float(data.get("probability", 0.0)),
            scores={str(k): float(v) for k, v in (data.get("scores") or {}).items()},
        )


@dataclass(frozen=True)
class Observation:
    """What a row's run gave: its status, answer, routing decisions, latency and tokens.

    ``status``: ``"completed"``, ``"failed"`` or ``"cancelled"``. ``error``: the failure's message
    or the cancellation's reason. ``latency_ms``: from ``run.started`` to the terminal event.
    ``decisions``, ``node_latency_ms``, ``node_tokens`` (in, out) and ``node_models`` (catalog key)
    are keyed by node id.
    """

    status: str
    output: str = ""
    error: str | None = None
    decisions: Mapping[str, Decision] = field(default_factory=dict)
    latency_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    node_latency_ms: Mapping[str, float] = field(default_factory=dict)
    node_tokens: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    node_models: Mapping[str, str] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "decisions": {router: d.to_json() for router, d in self.decisions.items()},
            "latency_ms": self.latency_ms,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "node_latency_ms": dict(self.node_latency_ms),
            "node_tokens": {node: list(pair) for node, pair in self.node_tokens.items()},
            "node_models": dict(self.node_models),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Observation:
        return cls(
            status=str(data["status"]),
            output=str(data.get("output") or ""),
            error=data.get("error"),
            decisions={
                str(router): Decision.from_json(d)
                for router, d in (data.get("decisions") or {}).items()
            },
            latency_ms=float(data.get("latency_ms") or 0.0),
            tokens_in=int(data.get("tokens_in") or 0),
            tokens_out=int(data.get("tokens_out") or 0),
            node_latency_ms={
                str(k): float(v) for k, v in (data.get("node_latency_ms") or {}).items()
            },
            node_tokens={
                str(k): (int(v[0]), int(v[1])) for k, v in (data.get("node_tokens") or {}).items()
            },
            node_models={str(k): str(v) for k, v in (data.get("node_models") or {}).items()},
        )


def observe(events: Iterable[Mapping[str, Any]]) -> Observation:
    """Reduce a run's events (dicts with ``type``, ``node``, ``data``, ``ts``) to an Observation.

    Events are read in order; a later ``router.decision`` of the same router replaces an earlier
    one. Without a terminal event the run counts as failed ("the run did not finish"). Run token
    counts come from ``run.completed``; otherwise they are the sum over completed nodes. Missing or
    unreadable timestamps give a latency of 0.
    """
    status: str | None = None
    output = ""
    error: str | None = None
    decisions: dict[str, Decision] = {}
    node_latency: dict[str, float] = {}
    node_tokens: dict[str, tuple[int, int]] = {}
    node_models: dict[str, str] = {}
    run_tokens: tuple[int, int] | None = None
    started: datetime | None = None
    finished: datetime | None = None
    first: datetime | None = None
    for event in events:
        kind = str(event.get("type", ""))
        node = event.get("node")
        data: Mapping[str, Any] = event.get("data") or {}
        ts = _timestamp(event.get("ts"))
        if first is None:
            first = ts
        if kind == "run.started":
            started = ts
        elif kind == "node.started" and node is not None:
            model = data.get("model")
            if isinstance(model, str):
                node_models[str(node)] = model
        elif kind == "router.decision" and node is not None:
            decision = _decision(data)
            if decision is not None:
                decisions[str(node)] = decision
        elif kind == "node.completed" and node is not None:
            node_latency[str(node)] = _number(data.get("latency_ms"))
            node_tokens[str(node)] = (_int(data.get("tokens_in")), _int(data.get("tokens_out")))
        elif kind in ("run.completed", "run.failed", "run.cancelled") and status is None:
            finished = ts
            if kind == "run.completed":
                status = COMPLETED
                output = str(data.get("output") or "")
                run_tokens = (_int(data.get("tokens_in")), _int(data.get("tokens_out")))
            elif kind == "run.failed":
                status = FAILED
                error = str(data.get("error") or "the run failed")
            else:
                status = CANCELLED
                error = str(data.get("reason") or "the run was cancelled")
    if status is None:
        status, error = FAILED, "the run did not finish"
    begin = started or first
    latency = (finished - begin).total_seconds() * 1000 if begin and finished else 0.0
    if run_tokens is None:
        run_tokens = (
            sum(pair[0] for pair in node_tokens.values()),
            sum(pair[1] for pair in node_tokens.values()),
        )
    return Observation(
        status=status,
        output=output,
        error=error,
        decisions=decisions,
        latency_ms=round(max(latency, 0.0), 3),
        tokens_in=run_tokens[0],
        tokens_out=run_tokens[1],
        node_latency_ms=node_latency,
        node_tokens=node_tokens,
        node_models=node_models,
    )


def _decision(data: Mapping[str, Any]) -> Decision | None:
    target = data.get("target")
    if not isinstance(target, str):
        return None
    raw_scores = data.get("scores")
    scores = (
        {str(k): _number(v) for k, v in raw_scores.items()} if isinstance(raw_scores, dict) else {}
    )
    probability = scores.get(target)
    if probability is None:
        for candidate in data.get("candidates") or ():
            if isinstance(candidate, dict) and candidate.get("target") == target:
                probability = _number(candidate.get("probability"))
                break
    return Decision(target=target, probability=probability or 0.0, scores=scores)


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return 0.0


def _int(value: Any) -> int:
    return int(_number(value))


# --- scores and scorer specs ------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """One scorer's verdict on one row: ``value`` in [0, 1], or None when the scorer does not
    apply to the row (left out of the mean). ``detail`` explains it (``{"extracted": "B"}``,
    per-router results, ``{"error": ...}``)."""

    value: float | None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "detail": dict(self.detail)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Score:
        value = data.get("value")
        return cls(
            value=float(value) if value is not None else None, detail=dict(data.get("detail") or {})
        )


@dataclass(frozen=True)
class ScorerSpec:
    """A scorer by name with its options.

    Options: ``regex``: ``flags`` (letters of ``imsx``; the row's ``expected`` is the pattern);
    ``numeric``: ``tolerance`` (absolute, default 1e-6) and ``relative`` (default 0);
    ``json_field``: ``field`` (a dot path, list indices as numbers; without it ``expected`` is a
    JSON object whose every key must match); ``judge``: ``model`` (catalog key) or ``graph``, and
    ``mode`` (``"single"``). ``scorer_problems`` checks names and options.
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> ScorerSpec:
        """The command line's form: ``"numeric"``, ``"numeric:tolerance=0.01,relative=0.05"``,
        ``"json_field:field=a.b"``. Values are read as JSON when they parse (numbers, booleans),
        as text otherwise. Raises ``ValueError`` for an empty name or an option without ``=``."""
        name, _, rest = text.strip().partition(":")
        name = name.strip()
        if not name:
            raise ValueError(f"'{text}' names no scorer")
        options: dict[str, Any] = {}
        for part in rest.split(",") if rest.strip() else ():
            key, equals, raw = part.partition("=")
            if not equals or not key.strip():
                raise ValueError(f"scorer option '{part.strip()}' must be written key=value")
            options[key.strip()] = _option_value(raw.strip())
        return cls(name, options)

    def to_json(self) -> dict[str, Any]:
        """``{"name": ..., **options}``: the same shape the REST API takes."""
        return {"name": self.name, **dict(self.options)}

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> ScorerSpec:
        """From ``to_json`` output, or a bare name."""
        if isinstance(data, str):
            return cls(data)
        return cls(str(data["name"]), {k: v for k, v in data.items() if k != "name"})


def _option_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


class Scorer(Protocol):
    """Scores rows. ``needs``: the row fields it requires (a row without them scores None).
    ``routing_only``: it needs only the routing decisions (a routing-only run suffices)."""

    name: str
    description: str
    needs: frozenset[str]
    routing_only: bool

    def option_problems(self, options: Mapping[str, Any]) -> list[str]:
        """What is wrong with ``options`` (unknown keys, bad values); [] when they are fine."""
        ...

    def score(
        self,
        row: DatasetRow,
        observation: Observation,
        *,
        options: Mapping[str, Any],
        expected_routes: Mapping[str, str],
    ) -> Score:
        """The row's score. Never raises for bad data (``judge`` raises: it calls a model)."""
        ...


class _Base:
    """Shared behaviour: rows missing a needed field score None; failed runs score 0."""

    name: str
    description: str
    needs: frozenset[str]
    routing_only: bool = False
    allowed: frozenset[str] = frozenset()

    def option_problems(self, options: Mapping[str, Any]) -> list[str]:
        return [
            f"{self.name}: unknown option '{key}'"
            + (f" (options: {', '.join(sorted(self.allowed))})" if self.allowed else "")
            for key in options
            if key not in self.allowed
        ] + self._value_problems(options)

    def _value_problems(self, options: Mapping[str, Any]) -> list[str]:
        return []

    def score(
        self,
        row: DatasetRow,
        observation: Observation,
        *,
        options: Mapping[str, Any],
        expected_routes: Mapping[str, str],
    ) -> Score:
        if any(getattr(row, name, None) is None for name in self.needs):
            return Score(None)
        if not observation.completed:
            return Score(0.0, {"error": observation.error or f"the run {observation.status}"})
        return self._score(row, observation, options)

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        raise NotImplementedError


def normalize(text: str) -> str:
    """Text as compared by ``exact`` and ``contains``: Unicode NFKC, case-folded, whitespace
    collapsed, stripped, trailing punctuation removed."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded.rstrip(".!?,;:\u3002\uff01\uff1f").rstrip()


class ExactScorer(_Base):
    name = "exact"
    description = "1 when the output equals the expected text (ignoring case, spaces, final dot)"
    needs = frozenset({"expected"})

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.expected is not None
        return Score(float(normalize(observation.output) == normalize(row.expected)))


class ContainsScorer(_Base):
    name = "contains"
    description = "1 when the output contains the expected text (ignoring case and spaces)"
    needs = frozenset({"expected"})

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.expected is not None
        return Score(float(normalize(row.expected) in normalize(observation.output)))


REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class RegexScorer(_Base):
    name = "regex"
    description = "1 when the expected regular expression matches somewhere in the output"
    needs = frozenset({"expected"})
    allowed = frozenset({"flags"})

    def _value_problems(self, options: Mapping[str, Any]) -> list[str]:
        flags = options.get("flags", "")
        if not isinstance(flags, str) or any(letter not in REGEX_FLAGS for letter in flags):
            return [f"regex: flags must be letters of '{''.join(REGEX_FLAGS)}', not {flags!r}"]
        return []

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.expected is not None
        flags = 0
        for letter in str(options.get("flags", "")):
            flags |= REGEX_FLAGS.get(letter, 0)
        try:
            pattern = re.compile(row.expected, flags)
        except re.error as error:
            return Score(None, {"error": f"bad pattern {row.expected!r}: {error}"})
        match = pattern.search(observation.output)
        return Score(1.0 if match else 0.0, {"match": match.group(0)[:200]} if match else {})


# A number: an optional sign (not after a word character, so "1-3" is 1 and 3), digits with
# optional thousands separators, decimals and exponent; then an optional "/ integer" (fraction)
# or percent sign. Currency signs before it are simply not part of the match.
_NUMBER = re.compile(
    r"(?:(?<![\w)])[-+\u2212])?"
    r"(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?<=\d)(?:[eE][-+]?\d+)?"
    r"(?:\s*/\s*\d+(?![.\d]))?"
    r"\s*%?"
)


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool = False

    def candidates(self) -> tuple[float, ...]:
        """The value, and for a percentage also the fraction (50% -> 50 and 0.5)."""
        return (self.value, self.value / 100) if self.percent else (self.value,)


def last_number(text: str) -> ParsedNumber | None:
    """The last number written in ``text`` ("-3", "1,234.5", "2.5e3", "50%", "3/4", "$12"), or
    None when there is none."""
    found: ParsedNumber | None = None
    for match in _NUMBER.finditer(text):
        token = match.group(0).strip()
        if not any(ch.isdigit() for ch in token):
            continue
        parsed = _parse_number(token)
        if parsed is not None:
            found = parsed
    return found


def _parse_number(token: str) -> ParsedNumber | None:
    percent = token.endswith("%")
    body = token.rstrip("%").strip().replace("\u2212", "-").replace(",", "")
    try:
        if "/" in body:
            numerator, denominator = (part.strip() for part in body.split("/", 1))
            if float(denominator) == 0:
                return None
            value = float(numerator) / float(denominator)
        else:
            value = float(body)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return ParsedNumber(value, percent)


class NumericScorer(_Base):
    name = "numeric"
    description = "1 when the last number of the output equals the expected number (tolerances)"
    needs = frozenset({"expected"})
    allowed = frozenset({"tolerance", "relative"})

    def _value_problems(self, options: Mapping[str, Any]) -> list[str]:
        return [
            f"numeric: {key} must be a number >= 0, not {options[key]!r}"
            for key in ("tolerance", "relative")
            if key in options and not _non_negative(options[key])
        ]

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.expected is not None
        expected = last_number(row.expected)
        if expected is None:
            return Score(None, {"error": f"expected {row.expected!r} is not a number"})
        got = last_number(observation.output)
        if got is None:
            return Score(0.0, {"extracted": None, "expected": expected.value})
        tolerance = _option_float(options, "tolerance", 1e-6)
        relative = _option_float(options, "relative", 0.0)
        good = any(
            abs(a - b) <= max(tolerance, relative * abs(b))
            for a in got.candidates()
            for b in expected.candidates()
        )
        return Score(float(good), {"extracted": got.value, "expected": expected.value})


def _non_negative(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _option_float(options: Mapping[str, Any], key: str, default: float) -> float:
    value = options.get(key, default)
    return float(value) if _non_negative(value) else default


class ChoiceScorer(_Base):
    name = "choice"
    description = "1 when the letter read from the output is the row's answer (multiple choice)"
    needs = frozenset({"answer", "choices"})

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.choices is not None
        extracted = extract_choice(observation.output, row.choices)
        return Score(float(extracted == row.answer), {"extracted": extracted})


class RouteScorer(_Base):
    name = "route"
    description = "Share of the row's routers that chose the expected target"
    needs = frozenset({"route"})
    routing_only = True

    def score(
        self,
        row: DatasetRow,
        observation: Observation,
        *,
        options: Mapping[str, Any],
        expected_routes: Mapping[str, str],
    ) -> Score:
        # A failed run still scores on the routers that decided before the failure.
        if not expected_routes:
            return Score(None)
        detail: dict[str, Any] = {}
        for router, expected in expected_routes.items():
            decision = observation.decisions.get(router)
            chosen = decision.target if decision is not None else None
            detail[router] = {"expected": expected, "chosen": chosen, "correct": chosen == expected}
        correct = sum(1 for result in detail.values() if result["correct"])
        return Score(correct / len(detail), detail)


class JsonFieldScorer(_Base):
    name = "json_field"
    description = "1 when the output's JSON has the expected value at a field (or every key)"
    needs = frozenset({"expected"})
    allowed = frozenset({"field"})

    def _value_problems(self, options: Mapping[str, Any]) -> list[str]:
        path = options.get("field")
        if path is not None and (not isinstance(path, str | int) or not str(path).strip()):
            return [f"json_field: field must be a dot path such as 'a.b', not {path!r}"]
        return []

    def _score(
        self, row: DatasetRow, observation: Observation, options: Mapping[str, Any]
    ) -> Score:
        assert row.expected is not None
        path = options.get("field")
        found, document = find_json(observation.output)
        if path is not None:
            expected_value = _option_value(row.expected)
            if not found:
                return Score(0.0, {"error": "no JSON in the output"})
            present, actual = json_path(document, str(path))
            if not present:
                return Score(0.0, {"error": f"the output's JSON has no field '{path}'"})
            return Score(float(json_equal(actual, expected_value)), {"actual": _short(actual)})
        try:
            expected_object = json.loads(row.expected)
        except json.JSONDecodeError:
            expected_object = None
        if not isinstance(expected_object, dict):
            return Score(None, {"error": "without a field option, expected must be a JSON object"})
        if not found:
            return Score(0.0, {"error": "no JSON in the output"})
        if not isinstance(document, dict):
            return Score(0.0, {"error": "the output's JSON is not an object"})
        mismatched = sorted(
            key
            for key, value in expected_object.items()
            if key not in document or not json_equal(document[key], value)
        )
        return Score(float(not mismatched), {"mismatched": mismatched} if mismatched else {})


_FENCE = re.compile(r"```[\w-]*[ \t]*\n?(.*?)```", re.DOTALL)


def find_json(text: str) -> tuple[bool, Any]:
    """The first JSON object or array in ``text``: inside a ``` fence first, then anywhere.
    Returns (found, value)."""
    decoder = json.JSONDecoder()
    for block in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        for start, char in enumerate(block):
            if char not in "{[":
                continue
            try:
                value, _ = decoder.raw_decode(block, start)
            except json.JSONDecodeError:
                continue
            return True, value
    return False, None


def json_path(document: Any, path: str) -> tuple[bool, Any]:
    """Follow a dot path (``a.b.0.c``; numbers index arrays). Returns (present, value)."""
    value = document
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif (
            isinstance(value, list)
            and part.lstrip("-").isdigit()
            and -len(value) <= int(part) < len(value)
        ):
            value = value[int(part)]
        else:
            return False, None
    return True, value


def json_equal(actual: Any, expected: Any) -> bool:
    """JSON values equal as an answer: numbers by value (1 == 1.0), text normalised (case,
    spaces), a number and its text alike ("3" == 3), containers element by element."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and set(actual) == set(expected)
            and all(json_equal(actual[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(json_equal(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None or actual is None:
        return actual == expected and type(actual) is type(expected)
    if isinstance(expected, int | float) or isinstance(actual, int | float):
        a, e = _as_float(actual), _as_float(expected)
        return a is not None and e is not None and math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9)
    return normalize(str(actual)) == normalize(str(expected))


def _as_float(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _short(value: Any) -> Any:
    text = json.dumps(value, ensure_ascii=False)
    return value if len(text) <= 200 else text[:200] + "…"


class JudgeScorer(_Base):
    """Listed so that it can be named and checked; the grading itself calls a model and lives in
    ``graphs.evaluation.judge.judge_single``."""

    name = "judge"
    description = "A judge model grades the answer from 1 to 10 (MT-Bench single-answer grading)"
    needs = frozenset({"input"})
    allowed = frozenset({"model", "graph", "mode"})

    def _value_problems(self, options: Mapping[str, Any]) -> list[str]:
        problems = []
        if "model" in options and "graph" in options:
            problems.append("judge: give either model or graph, not both")
        model = options.get("model")
        if model is not None and (not isinstance(model, str) or not model.strip()):
            problems.append(f"judge: model must be a catalog key, not {model!r}")
        graph = options.get("graph")
        if graph is not None and (isinstance(graph, bool) or not isinstance(graph, str | int)):
            problems.append(f"judge: graph must be a graph id, not {graph!r}")
        if options.get("mode", "single") != "single":
            problems.append(f"judge: mode must be 'single', not {options['mode']!r}")
        return problems

    def score(
        self,
        row: DatasetRow,
        observation: Observation,
        *,
        options: Mapping[str, Any],
        expected_routes: Mapping[str, str],
    ) -> Score:
        """Raises ``NotImplementedError``: use ``graphs.evaluation.judge.judge_single``."""
        raise NotImplementedError(
            "the judge scorer calls a model: use graphs.evaluation.judge.judge_single"
        )


SCORERS: Mapping[str, Scorer] = {
    scorer.name: scorer
    for scorer in (
        ExactScorer(),
        ContainsScorer(),
        RegexScorer(),
        NumericScorer(),
        ChoiceScorer(),
        RouteScorer(),
        JsonFieldScorer(),
        JudgeScorer(),
    )
}
"""Every scorer by name. All but ``judge`` are pure: ``score()`` computes the score."""


def default_scorers(fields: Iterable[str]) -> list[str]:
    """The scorers a dataset gets when none are asked for: ``route`` when rows have ``route``,
    ``choice`` when they have ``answer``, ``exact`` when they have ``expected``; else []."""
    present = set(fields)
    defaults = [("route", "route"), ("answer", "choice"), ("expected", "exact")]
    return [scorer for name, scorer in defaults if name in present]


def scorer_problems(specs: Sequence[ScorerSpec], fields: Iterable[str]) -> list[str]:
    """Every problem of ``specs`` for a dataset with ``fields`` (``dataset_fields``; ``input`` is
    always present): unknown names (listing the known ones), a scorer named twice, a needed field
    that no row has, bad options. [] when all is well."""
    present = {*fields, "input"}
    problems: list[str] = []
    seen: set[str] = set()
    for spec in specs:
        scorer = SCORERS.get(spec.name)
        if scorer is None:
            problems.append(f"unknown scorer '{spec.name}' (known: {', '.join(SCORERS)})")
            continue
        if spec.name in seen:
            problems.append(f"scorer '{spec.name}' is named twice")
        seen.add(spec.name)
        missing = sorted(scorer.needs - present)
        if missing:
            problems.append(
                f"scorer '{spec.name}' needs the field{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}, which no row of the dataset has"
            )
        problems += scorer.option_problems(spec.options)
    return problems


# --- reading a multiple-choice letter ---------------------------------------------------------

_MARKDOWN = re.compile(r"[*_`#]+")
_ANSWER_IS = re.compile(
    r"(?:answer|option|choice)\s*(?:is|would\s+be|will\s+be|should\s+be|:|=|-)\s*"
    r"(?:option\s+|choice\s+|letter\s+)?[(\[]?\s*([A-Za-z])\b(?:\s*[)\]])?(?P<after>.?)",
    re.IGNORECASE,
)
_BOXED = re.compile(r"\\boxed\{\s*\(?([A-Za-z])\)?\s*\}")
_LETTER_IS_CORRECT = re.compile(
    r"(?<![\w'])\(?([A-Z])\)?\s+is\s+(?:the\s+)?(?:correct|right|best)\b", re.IGNORECASE
)
_OPTION_X = re.compile(r"\b(?:option|choice)\s+\(?([A-Za-z])\b\)?(?P<after>.?)", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[]([A-Za-z])[)\]]")
_ONLY_LETTER = re.compile(r"^\W*([A-Za-z])\W*$")
_LEADING_LETTER = re.compile(r"^\W*([A-Za-z])\s*[.):]")
_STANDALONE = re.compile(r"(?<![\w'\u2019\-])([A-Z])(?![\w'\u2019\-])")


def extract_choice(text: str, choices: Sequence[str]) -> str | None:
    """The letter (``"A"``..) of the choice a free-text reply picks, or None when none is found.

    Only letters within ``len(choices)`` count. Markdown emphasis (``**C**``) is ignored. The
    first rule that finds a letter in range wins:

    1. the whole reply is one letter, with punctuation around it: ``"B"``, ``"b)"``, ``"(C)."``;
    2. an explicit answer pattern, the first in the text: ``"the answer is (B)"``,
       ``"Answer: D. because"``, ``"the correct option is A"``, ``"\\boxed{C}"``, ``"C is
       correct"``; a lower-case letter counts only when nothing but punctuation follows it, so
       that ``"the answer is a bit..."`` is not the letter A;
    3. ``"Option C"`` / ``"choice (c)"``, then a bracketed letter ``"(B)"``;
    4. the reply starts with a letter followed by ``.``, ``)`` or ``:`` (``"B. Paris"``);
    5. the reply quotes the text of exactly one choice (a choice contained in another quoted
       choice does not count);
    6. the first standalone capital letter in range (``"A or B?"`` gives A), skipping the pronoun
       ``"I"`` before a lower-case word.
    """
    if not choices:
        return None
    last = chr(ord("A") + min(len(choices), 26) - 1)

    def in_range(letter: str) -> str | None:
        upper = letter.upper()
        return upper if "A" <= upper <= last else None

    cleaned = _MARKDOWN.sub("", text).strip()
    if not cleaned:
        return None

    only = _ONLY_LETTER.match(cleaned)
    if only and in_range(only.group(1)):
        return in_range(only.group(1))

    explicit: list[tuple[int, str]] = []
    for match in _ANSWER_IS.finditer(cleaned):
        letter = match.group(1)
        if letter.islower() and match.group("after") not in ("", ".", ",", ")", "]", ";", "\n"):
            continue
        if letter.islower() and _followed_by_word(cleaned, match.end(1)):
            continue
        if in_range(letter):
            explicit.append((match.start(), letter))
    for pattern in (_BOXED, _LETTER_IS_CORRECT):
        for match in pattern.finditer(cleaned):
            if in_range(match.group(1)) and not (
                pattern is _LETTER_IS_CORRECT and match.group(1) in "aI"
            ):
                explicit.append((match.start(), match.group(1)))
    if explicit:
        return in_range(min(explicit)[1])

    for match in _OPTION_X.finditer(cleaned):
        letter = match.group(1)
        if letter.islower() and _followed_by_word(cleaned, match.end(1)):
            continue
        if in_range(letter):
            return in_range(letter)
    for match in _BRACKETED.finditer(cleaned):
        if in_range(match.group(1)):
            return in_range(match.group(1))

    leading = _LEADING_LETTER.match(cleaned)
    if leading and in_range(leading.group(1)) and (leading.group(1).isupper()):
        return in_range(leading.group(1))

    quoted = _quoted_choice(cleaned, choices)
    if quoted is not None:
        return quoted

    for match in _STANDALONE.finditer(cleaned):
        letter = match.group(1)
        if letter == "I" and re.match(r"\s+[a-z]", cleaned[match.end() :]):
            continue
        if in_range(letter):
            return letter
    return None


def _followed_by_word(text: str, index: int) -> bool:
    """True when a word follows position ``index`` after spaces (``"a bit"``)."""
    return re.match(r"[ \t]+[A-Za-z]", text[index:]) is not None


def _quoted_choice(text: str, choices: Sequence[str]) -> str | None:
    haystack = normalize(text)
    found: list[tuple[int, str]] = []
    for index, choice in enumerate(choices[:26]):
        needle = normalize(choice)
        if not needle:
            continue
        if re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack):
            found.append((index, needle))
    kept = [
        index
        for index, needle in found
        if not any(needle != other and needle in other for _, other in found)
    ]
    if len(kept) == 1:
        return chr(ord("A") + kept[0])
    return None
