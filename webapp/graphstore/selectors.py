"""Reads for the graph store. Every graph query goes through ``graphs_visible_to`` so that
another team's graphs are indistinguishable from missing ones (404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery

from graphs.diff import diff_specs
from graphs.templates import TEMPLATES, Template
from webapp.accounts.models import Membership
from webapp.errors import Invalid, NotFound
from webapp.graphstore.models import Graph, GraphVersion, ShareLink

AnyUser = AbstractBaseUser | AnonymousUser


def graphs_visible_to(user: AnyUser) -> QuerySet[Graph]:
    """Graphs of the user's teams, each annotated with ``role`` (the user's role in its team)."""
    role = Membership.objects.filter(team=OuterRef("team"), user_id=user.pk).values("role")[:1]
    return (
        Graph.objects.filter(team__memberships__user_id=user.pk)
        .annotate(role=Subquery(role))
        .select_related("team", "created_by", "forked_from__graph")
    )


def graphs_matching(graphs: QuerySet[Graph], text: str) -> QuerySet[Graph]:
    """Those of ``graphs`` whose name, slug or description contains ``text`` (any case)."""
    return graphs.filter(
        Q(name__icontains=text) | Q(slug__icontains=text) | Q(description__icontains=text)
    )


def graph_for(*, user: AnyUser, graph_id: int) -> Graph:
    """One of the user's graphs; ``NotFound`` for any other id."""
    graph = graphs_visible_to(user).filter(pk=graph_id).first()
    if graph is None:
        raise NotFound("graph not found")
    return graph


def versions_of(graph: Graph) -> QuerySet[GraphVersion]:
    """The graph's versions, newest first, without their (possibly large) specs loaded."""
    return (
        GraphVersion.objects.filter(graph=graph)
        .defer("spec")
        .select_related("author")
        .order_by("-number")
    )


def version_of(*, graph: Graph, number: int) -> GraphVersion:
    """Version ``number`` of ``graph``; ``NotFound`` when there is none."""
    version = GraphVersion.objects.filter(graph=graph, number=number).select_related("author")
    found = version.first()
    if found is None:
        raise NotFound(f"graph has no version {number}", latest_version=graph.latest_version)
    return found


def latest_version_of(graph: Graph) -> GraphVersion:
    return version_of(graph=graph, number=graph.latest_version)


def graph_diff(*, graph: Graph, from_number: int, to_number: int) -> dict[str, Any]:
    """``graphs.diff.diff_specs`` between two versions of ``graph`` (``NotFound`` if missing)."""
    old = version_of(graph=graph, number=from_number)
    new = version_of(graph=graph, number=to_number)
    return {"from": old.number, "to": new.number, **diff_specs(old.spec, new.spec)}


def share_links_of(graph: Graph) -> QuerySet[ShareLink]:
    return (
        ShareLink.objects.filter(version__graph=graph)
        .select_related("version", "created_by")
        .order_by("-created_at", "-id")
    )


def share_link_for(*, graph: Graph, link_id: int) -> ShareLink:
    link = share_links_of(graph).filter(pk=link_id).first()
    if link is None:
        raise NotFound("share link not found")
    return link


def shared_version(token: str) -> GraphVersion:
    """The version a live share link points to; ``NotFound`` for unknown or revoked tokens."""
    link = (
        ShareLink.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("version__graph")
        .first()
    )
    if link is None:
        raise NotFound("this share link does not exist or was revoked")
    return link.version


def template_named(name: str) -> Template:
    """One of the engine's templates; ``Invalid`` (``unknown_template``) names the known ones."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise Invalid(
            f"unknown template '{name}' (known: {', '.join(TEMPLATES)})",
            code="unknown_template",
            field="template",
        ) from None


def templates() -> list[Template]:
    return list(TEMPLATES.values())
