"""Evaluation of graphs on datasets, pure Python: datasets, scorers, statistics and reports.

``dataset`` parses uploaded files into rows; ``routes`` resolves a row's expected route against a
graph; ``scorers`` reduces a run's events to an ``Observation`` and scores it; ``judge`` builds and
parses LLM-as-a-judge prompts; ``stats`` and ``report`` turn scored rows into the one summary
shape that the CLI, the REST API and the studio show; ``builtin`` holds the shipped datasets.
"""

from graphs.evaluation.dataset import (
    MAX_DATASET_ROWS,
    DatasetError,
    DatasetRow,
    RowProblem,
    dataset_fields,
    parse_dataset,
)
from graphs.evaluation.report import ScoredRow, compare, summarize
from graphs.evaluation.routes import resolve_expected_routes
from graphs.evaluation.scorers import (
    SCORERS,
    Decision,
    Observation,
    Score,
    Scorer,
    ScorerSpec,
    default_scorers,
    extract_choice,
    observe,
    scorer_problems,
)

__all__ = [
    "MAX_DATASET_ROWS",
    "SCORERS",
    "DatasetError",
    "DatasetRow",
    "Decision",
    "Observation",
    "RowProblem",
    "Score",
    "ScoredRow",
    "Scorer",
    "ScorerSpec",
    "compare",
    "dataset_fields",
    "default_scorers",
    "extract_choice",
    "observe",
    "parse_dataset",
    "resolve_expected_routes",
    "scorer_problems",
    "summarize",
]
