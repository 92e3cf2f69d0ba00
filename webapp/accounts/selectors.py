"""Reads for accounts and teams. Team queries only return teams the user belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery

from webapp.accounts.models import ApiToken, Membership, Team
from webapp.errors import NotFound

AnyUser = AbstractBaseUser | AnonymousUser


def teams_of(user: AnyUser) -> QuerySet[Team]:
    """The user's teams, each annotated with ``role`` (the user's role in it)."""
    role = Membership.objects.filter(team=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return Team.objects.filter(memberships__user_id=user.pk).annotate(role=Subquery(role))


def team_for(*, user: AnyUser, team_id: int) -> Team:
    """One of the user's teams (annotated with ``role``); ``NotFound`` for any other id."""
    team = teams_of(user).filter(pk=team_id).first()
    if team is None:
        raise NotFound("team not found")
    return team


def members_of(team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team).select_related("user").order_by("id")


def membership_for(*, team: Team, user_id: int) -> Membership:
    """The membership of ``user_id`` in ``team``; ``NotFound`` when there is none."""
    membership = members_of(team).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("member not found")
    return membership


def api_tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """The user's named API tokens, newest first."""
    return ApiToken.objects.filter(user_id=user.pk)
