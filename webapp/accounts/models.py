"""Teams and memberships. Users are Django's own ``auth.User``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """A member's role. Each role may do everything the roles below it may do."""

    VIEWER = "viewer", "Viewer"  # read, export, fork and run
    EDITOR = "editor", "Editor"  # + save versions, edit graphs, share links, endpoints
    OWNER = "owner", "Owner"  # + manage members, delete graphs and the team

    def allows(self, required: Role) -> bool:
        """Whether this role includes ``required``."""
        return _RANK[self] >= _RANK[required]


_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


class Team(models.Model):
    """A group that owns graphs and endpoints. ``personal_for`` is set on a user's personal team
    (created at sign-up, never shared nor deleted)."""

    name = models.CharField(max_length=100)
    personal_for = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="personal_team",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("team_id", "id")
        constraints = (
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team_user"),
        )

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class ApiToken(models.Model):
    """A named API key of a user, for clients other than the browser (``webapp.accounts.tokens``
    makes and resolves keys). Only the key's SHA-256 ``digest`` is stored: the key itself is shown
    once, at creation. ``prefix`` is the key's first characters, not secret, for telling tokens
    apart. Revoking deletes the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Refreshed at most once per ``tokens.LAST_USED_RESOLUTION``, so busy clients cost no writes.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["user", "name"], name="one_api_token_name_per_user"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"
