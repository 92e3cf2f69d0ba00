"""Output shapes for users, teams and memberships (input serializers live in their views)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.accounts.models import Membership, Role, Team
from webapp.accounts.selectors import teams_of


class UserOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "email")


class TeamOutput(serializers.ModelSerializer):
    """``role`` is the requesting user's role (teams come from ``selectors.teams_of``)."""

    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    personal = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ("id", "name", "personal", "role", "created_at")

    def get_personal(self, team: Team) -> bool:
        return team.personal_for_id is not None


class MeOutput(UserOutput):
    teams = serializers.SerializerMethodField()

    class Meta(UserOutput.Meta):
        fields = (*UserOutput.Meta.fields, "teams")

    @extend_schema_field(TeamOutput(many=True))
    def get_teams(self, user: User) -> Any:
        return TeamOutput(teams_of(user), many=True).data


class MembershipOutput(serializers.ModelSerializer):
    user = UserOutput(read_only=True)

    class Meta:
        model = Membership
        fields = ("user", "role", "created_at")
