"""Graphs, their versions and public share links.

A ``GraphVersion`` is immutable: the services only ever create versions (saving, restoring and
forking all add one), so a version number always names the same spec.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from webapp.accounts.models import Team


class Graph(models.Model):
    """A team's graph. ``slug`` is unique within the team (it will serve as the OpenAI ``model``
    name); ``latest_version`` is the number of its newest version (0 before the first save)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="graphs")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    forked_from = models.ForeignKey(
        "GraphVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="forks"
    )
    latest_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["team", "slug"], name="graph_slug_unique_per_team"),
        )

    def __str__(self) -> str:
        return self.name


class GraphVersion(models.Model):
    """Version ``number`` (1, 2, ...) of a graph: its spec JSON as validated by ``graphs``."""

    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField()
    message = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("graph_id", "number")
        constraints = (
            models.UniqueConstraint(fields=["graph", "number"], name="version_number_unique"),
        )

    def __str__(self) -> str:
        return f"{self.graph} v{self.number}"


class ShareLink(models.Model):
    """Public read-only access to exactly one version, by unguessable ``token``, until revoked."""

    version = models.ForeignKey(GraphVersion, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"share link to {self.version}"
