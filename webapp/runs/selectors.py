"""Reads for runs. Runs are visible exactly when their graph is (``graphs_visible_to``), so
another team's runs answer 404 like missing ones."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from webapp.errors import NotFound
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import graphs_visible_to
from webapp.runs.models import Run, RunEvent

AnyUser = AbstractBaseUser | AnonymousUser


def runs_of(graph: Graph) -> QuerySet[Run]:
    """The graph's runs, newest first, without their (possibly large) state."""
    return (
        Run.objects.filter(graph=graph)
        .defer("state")
        .select_related("version", "created_by")
        .order_by("-created_at", "-id")
    )


def run_for(*, user: AnyUser, run_id: int) -> Run:
    """A run of one of the user's graphs; ``NotFound`` for any other id."""
    run = (
        Run.objects.filter(pk=run_id, graph__in=graphs_visible_to(user).values("pk"))
        .select_related("graph__team", "version", "created_by")
        .first()
    )
    if run is None:
        raise NotFound("run not found")
    return run


def trace_of(run: Run, *, after: int = 0, limit: int = 1000) -> QuerySet[RunEvent]:
    """The run's stored structural events with ``seq > after``, in order, at most ``limit``."""
    return RunEvent.objects.filter(run=run, seq__gt=after).order_by("seq")[:limit]
