"""Output shapes for users, teams, memberships and API tokens (input serializers live in their
views)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.accounts.models import ApiToken, Membership, Role, Team
from webapp.accounts.selectors import teams_of
from webapp.api.serializers import OutputModelSerializer


class UserOutput(OutputModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "email")


class TeamOutput(OutputModelSerializer):
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


class MembershipOutput(OutputModelSerializer):
    user = UserOutput(read_only=True)

    class Meta:
        model = Membership
        fields = ("user", "role", "created_at")


class ApiTokenOutput(OutputModelSerializer):
    """A named token as its owner sees it later: never its key. ``last_used_at`` is null until
    the token is first used, and lags real use by up to a minute."""

    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "last_used_at")


class NewApiTokenOutput(ApiTokenOutput):
    """A token just created, with its ``key``: the only time the key is ever shown (only a
    digest of it is stored)."""

    key = serializers.SerializerMethodField()  # the creating view passes it as context["key"]

    class Meta(ApiTokenOutput.Meta):
        fields = (*ApiTokenOutput.Meta.fields, "key")

    def get_key(self, token: ApiToken) -> str:
        return str(self.context["key"])
