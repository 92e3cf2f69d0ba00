"""Evaluation datasets: rows of inputs with optional references, parsed from JSONL or CSV.

``parse_dataset`` is the one boundary that turns an uploaded file into ``DatasetRow`` values. It
is all-or-nothing: every problem of the file is collected (named by line and field) and raised
together in one ``DatasetError``, so a user fixes the file in one go; nothing is returned half.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_DATASET_ROWS = 20_000
MAX_PROBLEMS = 100
MAX_IMAGES = 4
MIN_CHOICES = 2
MAX_CHOICES = 26

FIELDS = ("input", "images", "expected", "choices", "answer", "route", "metadata")
OPTIONAL_FIELDS = FIELDS[1:]
SUPPORTED_EXTENSIONS = (".jsonl", ".ndjson", ".csv")


@dataclass(frozen=True)
class DatasetRow:
    """One example. ``input`` is what a run starts with; the rest is what scorers compare with.

    ``images``: as run creation takes them in JSON (``{"data": b64, "media_type"?, "name"?}`` or a
    ``"data:image/...;base64,"`` string), at most 4; only their shape is checked here.
    ``expected``: the reference answer as text (a number or JSON value is kept as its JSON text).
    ``choices`` (2..26 options) and ``answer`` (its letter, ``"A"``..) for multiple choice.
    ``route``: the expected target of the routing, a node id or label, or ``{router id: target}``.
    """

    input: str
    images: tuple[Any, ...] = ()
    expected: str | None = None
    choices: tuple[str, ...] | None = None
    answer: str | None = None
    route: str | Mapping[str, str] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str | None:
        """The answer a judge compares with: ``expected``, else ``metadata["reference"]`` (where
        MT-Bench's reference answers live), else None."""
        reference = self.metadata.get("reference")
        return self.expected or (None if reference is None else str(reference))

    def to_json(self) -> dict[str, Any]:
        """The row as JSON; empty optional fields are left out."""
        data: dict[str, Any] = {"input": self.input}
        if self.images:
            data["images"] = list(self.images)
        if self.expected is not None:
            data["expected"] = self.expected
        if self.choices is not None:
            data["choices"] = list(self.choices)
        if self.answer is not None:
            data["answer"] = self.answer
        if self.route is not None:
            data["route"] = self.route if isinstance(self.route, str) else dict(self.route)
        if self.metadata:
            data["metadata"] = dict(self.metadata)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DatasetRow:
        """Rebuild a row from ``to_json`` output. Trusted data: nothing is validated."""
        route = data.get("route")
        choices = data.get("choices")
        return cls(
            input=str(data["input"]),
            images=tuple(data.get("images") or ()),
            expected=data.get("expected"),
            choices=tuple(choices) if choices is not None else None,
            answer=data.get("answer"),
            route=route if route is None or isinstance(route, str) else dict(route),
            metadata=dict(data.get("metadata") or {}),
        )


@dataclass(frozen=True)
class RowProblem:
    """One problem of a dataset file. ``line`` is 1-based (JSONL: the physical line; CSV: the
    line the record starts on, the header being line 1); 0 for a problem of the whole file (its
    extension, its size). ``field`` is None for a problem of the whole line or file."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line > 0 else []
        if self.field is not None:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class DatasetError(ValueError):
    """A dataset file was refused. ``problems`` holds every problem found (at most
    ``MAX_PROBLEMS``, then one last ``"and N more problems"`` entry)."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        capped = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            capped.append(
                RowProblem(problems[MAX_PROBLEMS].line, None, f"and {rest} more problems")
            )
        self.problems: list[RowProblem] = capped
        count = len(problems)
        summary = f"the dataset has {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([summary, *(str(p) for p in capped)]))


def parse_dataset(data: bytes, *, filename: str) -> list[DatasetRow]:
    """Parse an uploaded dataset file into rows.

    The format comes from ``filename``'s extension: ``.jsonl``/``.ndjson`` (one JSON object per
    line; blank lines are skipped) or ``.csv`` (a header row naming the columns; empty cells are
    absent fields; ``choices`` is a JSON array or ``|``-separated text, ``route`` text or a JSON
    object, ``metadata`` a JSON object and ``images`` a JSON array). A UTF-8 byte order mark and
    CRLF line ends are accepted.

    Raises ``DatasetError`` with every problem: unknown extension (naming the supported ones), not
    UTF-8, an empty file, no rows, more than ``MAX_DATASET_ROWS`` rows, a line that is not a JSON
    object, unknown fields (named, with the known ones), and every invalid field value.
    """
    lowered = filename.lower()
    if not lowered.endswith(SUPPORTED_EXTENSIONS):
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise DatasetError(
            [RowProblem(0, None, f"'{filename}' is not a supported file type (use {supported})")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DatasetError([RowProblem(line, None, "the file is not UTF-8 text")]) from None
    if not text.strip():
        raise DatasetError([RowProblem(0, None, "the file is empty")])
    records = _csv_records(text) if lowered.endswith(".csv") else _jsonl_records(text)
    problems: list[RowProblem] = list(records.problems)
    if len(records.rows) > MAX_DATASET_ROWS:
        raise DatasetError(
            [
                RowProblem(
                    0,
                    None,
                    f"the file has {len(records.rows)} rows; the limit is {MAX_DATASET_ROWS}",
                )
            ]
        )
    if not records.rows and not problems:
        raise DatasetError([RowProblem(0, None, "the file has no rows")])
    rows: list[DatasetRow] = []
    for line, values in records.rows:
        if values is None:
            continue
        row, row_problems = _validate(line, values)
        problems += row_problems
        if row is not None:
            rows.append(row)
    if problems:
        raise DatasetError(sorted(problems, key=lambda p: p.line))
    return rows


def dataset_fields(rows: Sequence[DatasetRow]) -> list[str]:
    """The optional fields (``images``, ``expected``, ...) present in any row, sorted."""
    present: set[str] = set()
    for row in rows:
        present.update(name for name in row.to_json() if name != "input")
    return sorted(present)


# --- reading the file into raw records -------------------------------------------------------


@dataclass
class _Records:
    """Raw records: (line, {field: JSON value}) plus problems of the file's structure. A record
    whose whole line has a problem is ``None``: it counts as a row but is not validated."""

    rows: list[tuple[int, dict[str, Any] | None]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _jsonl_records(text: str) -> _Records:
    records = _Records()
    # Split on "\n" only: a JSON string may hold U+2028 and friends, which splitlines() cuts on.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        if len(records.rows) > MAX_DATASET_ROWS:
            records.rows.append((number, None))  # counted only; the file is refused anyway
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            records.problems.append(RowProblem(number, None, f"not valid JSON ({error.msg})"))
            records.rows.append((number, None))
            continue
        if not isinstance(value, dict):
            records.problems.append(
                RowProblem(number, None, f"must be a JSON object, not {_json_kind(value)}")
            )
            records.rows.append((number, None))
            continue
        unknown = [name for name in value if name not in FIELDS]
        for name in unknown:
            records.problems.append(
                RowProblem(number, name, f"unknown field (known: {', '.join(FIELDS)})")
            )
        records.rows.append((number, {k: v for k, v in value.items() if k in FIELDS}))
    return records


def _csv_records(text: str) -> _Records:
    records = _Records()
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_problem = False
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not cells or all(not cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                header_problem = _check_header(start, header, records.problems)
                continue
            if header_problem or len(records.rows) > MAX_DATASET_ROWS:
                records.rows.append((start, None))  # counted only
                continue
            if len(cells) > len(header):
                records.problems.append(
                    RowProblem(
                        start,
                        None,
                        f"has {len(cells)} cells but the header names {len(header)} columns",
                    )
                )
                records.rows.append((start, None))
                continue
            values: dict[str, Any] = {}
            for name, cell in zip(header, cells, strict=False):
                if cell == "" or name == "":
                    continue
                values[name] = _csv_cell(start, name, cell, records.problems)
            records.rows.append((start, values))
    except csv.Error as error:
        records.problems.append(RowProblem(previous_end + 1, None, f"not valid CSV ({error})"))
    if header is not None and not records.rows and not records.problems:
        records.problems.append(RowProblem(1, None, "the file has a header but no rows"))
    return records


def _check_header(line: int, header: list[str], problems: list[RowProblem]) -> bool:
    """Problems of the header row; True when rows cannot be read with it."""
    before = len(problems)
    seen: set[str] = set()
    for name in header:
        if name and name not in FIELDS:
            problems.append(RowProblem(line, name, f"unknown column (known: {', '.join(FIELDS)})"))
        if name in seen and name:
            problems.append(RowProblem(line, name, "the column appears twice"))
        seen.add(name)
    if "input" not in header:
        problems.append(RowProblem(line, "input", "the header has no input column"))
    return len(problems) > before


class _Invalid:
    """A cell that could not be parsed (its problem is already recorded)."""


_INVALID = _Invalid()


def _csv_cell(line: int, name: str, cell: str, problems: list[RowProblem]) -> Any:
    """A CSV cell as the JSON value the field takes (text, or JSON where the column holds it)."""
    stripped = cell.strip()
    if name == "choices":
        if stripped.startswith("["):
            return _json_cell(line, name, stripped, problems)
        return [part.strip() for part in cell.split("|")]
    if name == "route" and stripped.startswith("{"):
        return _json_cell(line, name, stripped, problems)
    if name in ("metadata", "images"):
        return _json_cell(line, name, stripped, problems)
    if name == "answer":
        return stripped
    return cell


def _json_cell(line: int, name: str, text: str, problems: list[RowProblem]) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problems.append(RowProblem(line, name, f"not valid JSON ({error.msg})"))
        return _INVALID


# --- validating one record --------------------------------------------------------------------


def _validate(line: int, values: Mapping[str, Any]) -> tuple[DatasetRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(RowProblem(line, name, message))

    present = {name: value for name, value in values.items() if value is not _INVALID}
    invalid = {name for name, value in values.items() if value is _INVALID}

    text = present.get("input")
    if "input" in invalid:
        pass
    elif text is None:
        problem("input", "is required")
    elif not isinstance(text, str):
        problem("input", f"must be text, not {_json_kind(text)}")
    elif not text.strip():
        problem("input", "must not be empty")

    images = _check(present, "images", _images, problem)
    expected = _check(present, "expected", _expected, problem)
    choices = _check(present, "choices", _choices, problem)
    route = _check(present, "route", _route, problem)
    metadata = _check(present, "metadata", _metadata, problem)
    answer = present.get("answer")
    if answer is not None:
        answer = _answer(answer, choices, "choices" in values, problem)

    if problems or invalid:
        return None, problems
    assert isinstance(text, str)
    return (
        DatasetRow(
            input=text,
            images=tuple(images or ()),
            expected=expected,
            choices=tuple(choices) if choices is not None else None,
            answer=answer,
            route=route,
            metadata=metadata or {},
        ),
        problems,
    )


Report = Callable[[str, str], None]


def _check(
    values: Mapping[str, Any],
    name: str,
    convert: Callable[[Any, Callable[[str], None]], Any],
    problem: Report,
) -> Any:
    """``convert(value, report)`` of a present, non-null field; None when absent or invalid."""
    value = values.get(name)
    if value is None:
        return None
    failed: list[str] = []

    def report(message: str) -> None:
        failed.append(message)
        problem(name, message)

    converted = convert(value, report)
    return None if failed else converted


def _images(value: Any, report: Callable[[str], None]) -> list[Any] | None:
    if not isinstance(value, list):
        report(f"must be a JSON array of images, not {_json_kind(value)}")
        return None
    if len(value) > MAX_IMAGES:
        report(f"has {len(value)} images; at most {MAX_IMAGES} are allowed")
        return None
    for index, image in enumerate(value, start=1):
        if isinstance(image, str):
            if not image.startswith("data:image/") or ";base64," not in image:
                report(f"image {index} must be a 'data:image/...;base64,' string or an object")
                return None
        elif isinstance(image, dict):
            data = image.get("data")
            if not isinstance(data, str) or not data:
                report(f"image {index} needs 'data' (base64 text)")
                return None
            for key in ("media_type", "name"):
                if key in image and not isinstance(image[key], str):
                    report(f"image {index}'s '{key}' must be text")
                    return None
            unknown = sorted(set(image) - {"data", "media_type", "name"})
            if unknown:
                report(f"image {index} has unknown keys: {', '.join(unknown)}")
                return None
        else:
            report(f"image {index} must be a data URL or an object, not {_json_kind(image)}")
            return None
    return value


def _expected(value: Any, report: Callable[[str], None]) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        report("must be a finite number")
        return ""
    return json.dumps(value, ensure_ascii=False)


def _choices(value: Any, report: Callable[[str], None]) -> list[str] | None:
    if not isinstance(value, list):
        report(f"must be a JSON array of texts, not {_json_kind(value)}")
        return None
    if not MIN_CHOICES <= len(value) <= MAX_CHOICES:
        report(f"must have {MIN_CHOICES} to {MAX_CHOICES} options, not {len(value)}")
        return None
    texts: list[str] = []
    for index, choice in enumerate(value):
        if isinstance(choice, bool) or not isinstance(choice, str | int | float):
            report(f"option {_letter(index)} must be text, not {_json_kind(choice)}")
            return None
        text = choice if isinstance(choice, str) else json.dumps(choice)
        if not text.strip():
            report(f"option {_letter(index)} is empty")
            return None
        texts.append(text)
    return texts


def _answer(
    value: Any, choices: list[str] | None, has_choices: bool, problem: Report
) -> str | None:
    if not isinstance(value, str):
        problem("answer", f"must be a letter, not {_json_kind(value)}")
        return None
    letter = value.strip().upper()
    if not has_choices:
        problem("answer", "needs choices")
        return None
    if choices is None:
        return None  # the choices' own problem is reported
    last = _letter(len(choices) - 1)
    if len(letter) != 1 or not "A" <= letter <= last:
        problem(
            "answer",
            f"must be one letter A-{last} (the row has {len(choices)} choices), not {value!r}",
        )
        return None
    return letter


def _route(value: Any, report: Callable[[str], None]) -> str | dict[str, str] | None:
    if isinstance(value, str):
        if not value.strip():
            report("must not be empty")
            return None
        return value.strip()
    if isinstance(value, dict):
        if not value:
            report("must name at least one router")
            return None
        routes: dict[str, str] = {}
        for router, target in value.items():
            if not isinstance(target, str) or not target.strip():
                report(f"router '{router}' must map to a target's id or label (text)")
                return None
            routes[str(router)] = target.strip()
        return routes
    report(
        f"must be a target's id or label, or an object {{router: target}}, not {_json_kind(value)}"
    )
    return None


def _metadata(value: Any, report: Callable[[str], None]) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        report(f"must be a JSON object, not {_json_kind(value)}")
        return None
    return value


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
