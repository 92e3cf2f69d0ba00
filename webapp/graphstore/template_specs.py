"""The spec of a graph created from a template, with the options a team chose.

A template's options that name models are checked here against the team's catalog (the engine's
templates know no teams). ``proposers`` (moa-mixed) defaults to the built-in model plus every
endpoint the team registered, so a team that has an Ollama endpoint gets a graph mixing both.
"""

from __future__ import annotations

from typing import Any

from graphs.templates import Template, TemplateOptionError
from graphs.templates.builder import DEFAULT_MODEL
from webapp.accounts.models import Team
from webapp.catalog.models import Endpoint
from webapp.catalog.selectors import model_kinds_for_team
from webapp.errors import Invalid

TEXT_KINDS = frozenset({"transformers", "openai"})
"""Model kinds a proposer may use (a CLIP model does not chat)."""


def default_proposers(team: Team) -> list[str]:
    """The built-in model, then the team's endpoints by key."""
    endpoints = Endpoint.objects.filter(team=team).order_by("key").values_list("key", flat=True)
    return [DEFAULT_MODEL, *endpoints]


def template_spec(*, template: Template, team: Team, options: dict[str, Any]) -> dict[str, Any]:
    """Build ``template`` for ``team`` with ``options``. Raises ``Invalid`` naming the field
    (``template_options.<option>``): ``invalid_template_option`` for a value the template
    refuses, ``unknown_model`` for a proposer the team's catalog lacks or that cannot chat."""
    options = dict(options)
    if "proposers" in template.options:
        options["proposers"] = _checked_proposers(team, options.get("proposers"))
    try:
        return template.spec(**options)
    except TemplateOptionError as exc:
        raise Invalid(
            str(exc), code="invalid_template_option", field=f"template_options.{exc.option}"
        ) from None


def _checked_proposers(team: Team, value: Any) -> list[str]:
    field = "template_options.proposers"
    if value is None:
        return default_proposers(team)
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise Invalid("proposers must be a list of model keys", code="invalid", field=field)
    kinds = model_kinds_for_team(team)
    unknown = [key for key in value if kinds.get(key) not in TEXT_KINDS]
    if unknown:
        raise Invalid(
            f"not a chat model of this team: {', '.join(unknown)}",
            code="unknown_model",
            field=field,
        )
    return value
