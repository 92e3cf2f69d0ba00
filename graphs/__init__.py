"""Octograph's graph layer, pure Python: the spec, validation, node kinds, events and the engine.

Nothing here imports Django, Celery, torch or transformers; model access is injected through
``graphs.runtime.ModelClient``.
"""

from graphs.problems import Problem, SpecError
from graphs.spec import EdgeSpec, GraphSpec, NodeSpec
from graphs.validation import check, load_spec

__all__ = ["EdgeSpec", "GraphSpec", "NodeSpec", "Problem", "SpecError", "check", "load_spec"]
