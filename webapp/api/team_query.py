"""``?team=`` on lists of team-scoped objects: narrow the list to one of the user's teams."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from webapp.accounts.selectors import team_for
from webapp.api.limits import MAX_ID
from webapp.api.request_input import validated

M = TypeVar("M", bound=Model)


class TeamQuery(serializers.Serializer):  # type: ignore[misc]
    """The query parameters of such a list (``extend_schema(parameters=[TeamQuery])``)."""

    team = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="only this team's"
    )


def narrowed_to_team(request: Request, objects: QuerySet[M]) -> QuerySet[M]:
    """``objects`` (a queryset with a ``team`` field) of the team in ``?team=``, if given.

    Raises ``ValidationError`` (400) for a bad value and ``NotFound`` (404) for a team the user
    is not a member of."""
    query = validated(TeamQuery, request.query_params)
    if "team" not in query:
        return objects
    return objects.filter(team=team_for(user=request.user, team_id=query["team"]))
