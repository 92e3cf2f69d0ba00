"""Teams and their members. Another team's ids answer 404, as if they did not exist."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts import selectors, services
from webapp.accounts.models import Role
from webapp.accounts.serializers import MembershipOutput, TeamOutput
from webapp.api.errors import error_responses
from webapp.api.request_input import validated


class TeamInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TeamListApi(APIView):
    @extend_schema(responses=TeamOutput(many=True))
    def get(self, request: Request) -> Response:
        """The requesting user's teams, with their role in each."""
        return Response(TeamOutput(selectors.teams_of(request.user), many=True).data)

    @extend_schema(request=TeamInput, responses={201: TeamOutput, **error_responses(400)})
    def post(self, request: Request) -> Response:
        """Create a team owned by the requesting user."""
        data = validated(TeamInput, request.data)
        team = services.team_create(name=data["name"], actor=request.user)
        team = selectors.team_for(user=request.user, team_id=team.pk)
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)


class TeamDetailApi(APIView):
    @extend_schema(responses={200: TeamOutput, **error_responses(404)})
    def get(self, request: Request, team_id: int) -> Response:
        return Response(TeamOutput(selectors.team_for(user=request.user, team_id=team_id)).data)

    @extend_schema(request=TeamInput, responses={200: TeamOutput, **error_responses(400, 403, 404)})
    def patch(self, request: Request, team_id: int) -> Response:
        """Rename the team (owners)."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        data = validated(TeamInput, request.data)
        services.team_rename(team=team, actor=request.user, name=data["name"])
        return Response(TeamOutput(selectors.team_for(user=request.user, team_id=team_id)).data)

    @extend_schema(responses={204: None, **error_responses(400, 403, 404)})
    def delete(self, request: Request, team_id: int) -> Response:
        """Delete the team with its graphs (owners; not a personal team)."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        services.team_delete(team=team, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MemberAddInput(RoleInput):
    username = serializers.CharField(max_length=150)


class MemberListApi(APIView):
    @extend_schema(responses={200: MembershipOutput(many=True), **error_responses(404)})
    def get(self, request: Request, team_id: int) -> Response:
        """Every member of the team with their role (any member may look)."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        return Response(MembershipOutput(selectors.members_of(team), many=True).data)

    @extend_schema(
        request=MemberAddInput,
        responses={201: MembershipOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, team_id: int) -> Response:
        """Add a user by username with a role (owners)."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        data = validated(MemberAddInput, request.data)
        membership = services.membership_add(
            team=team,
            actor=request.user,
            username=data["username"],
            role=Role(data["role"]),
        )
        return Response(MembershipOutput(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    @extend_schema(
        request=RoleInput,
        responses={200: MembershipOutput, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, team_id: int, user_id: int) -> Response:
        """Change a member's role (owners). The last owner cannot be demoted."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        membership = selectors.membership_for(team=team, user_id=user_id)
        data = validated(RoleInput, request.data)
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=Role(data["role"])
        )
        return Response(MembershipOutput(membership).data)

    @extend_schema(responses={204: None, **error_responses(403, 404, 409)})
    def delete(self, request: Request, team_id: int, user_id: int) -> Response:
        """Remove a member (owners), or leave the team (yourself)."""
        team = selectors.team_for(user=request.user, team_id=team_id)
        membership = selectors.membership_for(team=team, user_id=user_id)
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
