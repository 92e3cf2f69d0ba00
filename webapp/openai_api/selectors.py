"""Which graph an OpenAI ``model`` name means for a caller.

A graph is called by its slug. Slugs are unique within a team, but a user in several teams may
see two graphs with one slug: then the slug alone is ambiguous and the graph is named
``<slug>@<graph id>`` (always accepted). ``GET /v1/models`` lists each graph under the shortest
name that is unambiguous for the caller.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from webapp.errors import Invalid, NotFound
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import graphs_visible_to

AnyUser = AbstractBaseUser | AnonymousUser


def graph_models_of(user: AnyUser) -> list[tuple[str, Graph]]:
    """``(model name, graph)`` for each of the user's graphs, by name."""
    graphs = list(graphs_visible_to(user).filter(latest_version__gt=0))
    counts = Counter(graph.slug for graph in graphs)
    named = [(g.slug if counts[g.slug] == 1 else f"{g.slug}@{g.pk}", g) for g in graphs]
    return sorted(named, key=lambda pair: pair[0])


def graph_for_model(*, user: AnyUser, model: str) -> Graph:
    """The graph ``model`` names; ``NotFound`` for none, ``Invalid`` (``ambiguous_model``) for a
    bare slug that several of the user's graphs share."""
    slug, _, graph_id = model.partition("@")
    graphs = graphs_visible_to(user).filter(slug=slug, latest_version__gt=0)
    if graph_id:
        graphs = graphs.filter(pk=int(graph_id)) if graph_id.isdigit() else graphs.none()
    found = list(graphs[:2])
    if not found:
        raise NotFound(f"the model '{model}' does not exist or you do not have access to it")
    if len(found) > 1:
        raise Invalid(
            f"several of your graphs are called '{slug}': name one as '{slug}@<graph id>' "
            "(see GET /v1/models)",
            code="ambiguous_model",
        )
    return found[0]
