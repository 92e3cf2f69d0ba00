"""Reads for runs. Runs are visible exactly when their graph is (``graphs_visible_to``), so
another team's runs answer 404 like missing ones."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from webapp.errors import NotFound
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import graphs_visible_to
from webapp.runs.models import Run, RunEvent, RunUpload
from workers.event_stream import shared_stream

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


def upload_of(run: Run, *, number: int) -> RunUpload:
    """The run's image ``number`` (from 1); ``NotFound`` when it has no such image."""
    upload = RunUpload.objects.filter(run=run, number=number).first()
    if upload is None:
        raise NotFound(f"run {run.pk} has no image {number}")
    return upload


def trace_of(run: Run, *, after: int = 0, limit: int = 1000) -> QuerySet[RunEvent]:
    """The run's stored structural events with ``seq > after``, in order, at most ``limit``."""
    return RunEvent.objects.filter(run=run, seq__gt=after).order_by("seq")[:limit]


def events_after(run: Run, *, after: int = 0) -> list[dict[str, Any]]:
    """The run's events with ``seq > after``, in order, as event JSON: from its Redis stream
    (token deltas included) while the stream is kept, else from the stored trace (structural
    events only; the stream expires ``OCTOGRAPH_EVENT_TTL_S`` after the run's last event, and
    does not exist before the run starts). Cheap to poll while a run is under way: the database
    is read only when there is no stream."""
    stream = shared_stream()
    streamed = stream.events_after(str(run.pk), after)
    if streamed or stream.has_stream(str(run.pk)):
        return [event.to_json() for event in streamed]
    return [event.to_json() for event in trace_of(run, after=after, limit=2**31 - 1)]


def run_ended_by(run: Run, *, seq: int) -> bool:
    """Whether the run's terminal event has a seq of at most ``seq`` (nothing follows ``seq``).

    The stream's closed flag is set with the terminal event, before the step that published it
    commits; the row (``last_seq``) answers once the stream has expired (or before it exists)."""
    stream = shared_stream()
    closed = stream.closed_at(str(run.pk))
    if closed is not None:
        return closed <= seq
    if stream.has_stream(str(run.pk)):
        return False  # under way: its terminal event is still to come
    run.refresh_from_db(fields=["status", "last_seq"])
    return bool(run.finished and run.last_seq <= seq)
