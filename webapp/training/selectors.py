"""Reads for trainings. A training is visible exactly when its graph is (``graphs_visible_to``),
so another team's trainings answer 404 like missing ones."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from webapp.errors import NotFound
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import graphs_visible_to
from webapp.training.models import Training

AnyUser = AbstractBaseUser | AnonymousUser


def trainings_of(graph: Graph, *, router: str | None = None) -> QuerySet[Training]:
    """The graph's trainings (of ``router`` only, if given), newest first."""
    trainings = Training.objects.filter(graph=graph)
    if router is not None:
        trainings = trainings.filter(router=router)
    return trainings.select_related("version", "created_by", "adapter__created_by").order_by(
        "-created_at", "-id"
    )


def training_for(*, user: AnyUser, training_id: int) -> Training:
    """A training of one of the user's graphs; ``NotFound`` for any other id."""
    training = (
        Training.objects.filter(pk=training_id, graph__in=graphs_visible_to(user).values("pk"))
        .select_related("graph__team", "version", "created_by", "adapter__created_by")
        .first()
    )
    if training is None:
        raise NotFound("training not found")
    return training


def training_by_id(training_id: int) -> Training:
    """The training ``training_id`` for a socket that has already checked access to it."""
    return Training.objects.select_related("version", "created_by", "adapter__created_by").get(
        pk=training_id
    )
