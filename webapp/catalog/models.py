"""Registered OpenAI-compatible endpoints and trained router adapters. Built-in models come
from ``workers.catalog``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from webapp.accounts.models import Team
from webapp.api.model_mixins import CreatedRecord
from webapp.graphstore.models import Graph
from workers.catalog import ModelEntry


class Endpoint(models.Model):
    """A team's OpenAI-compatible model, usable in its graphs under ``key``.

    ``api_key_encrypted`` holds the API key encrypted with ``settings.ENCRYPTION_KEY``
    (``webapp.catalog.crypto``); no endpoint ever returns it, only whether one is set.
    ``price_per_million_tokens`` (optional): what the model costs, USD per million tokens in +
    out, as in the workers' catalog; experiments report their cost from it.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="endpoints")
    key = models.CharField(max_length=100)
    display_name = models.CharField(max_length=200, blank=True)
    base_url = models.URLField(max_length=500)
    model_name = models.CharField(max_length=200)
    api_key_encrypted = models.TextField(blank=True, editable=False)
    price_per_million_tokens = models.FloatField(
        null=True, blank=True, help_text="USD per million tokens (in + out); empty: not priced"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("team_id", "key")
        constraints = (
            models.UniqueConstraint(fields=["team", "key"], name="one_endpoint_key_per_team"),
        )

    def __str__(self) -> str:
        return f"{self.key} ({self.team})"

    @property
    def has_api_key(self) -> bool:
        return bool(self.api_key_encrypted)

    def model_entry(self) -> ModelEntry:
        """The workers' catalog entry of this endpoint (its API key is not part of it). Raises
        ``workers.catalog.CatalogError`` naming the field the catalog's rules refuse."""
        return ModelEntry(
            key=self.key,
            display_name=self.display_name or self.key,
            family="openai",
            kind="openai",
            base_url=self.base_url,
            model_name=self.model_name,
            price_per_million_tokens=self.price_per_million_tokens,
        )


class RouterAdapter(CreatedRecord):
    """A functional-token router adapter trained in the app (``webapp.training``).

    Model hosts find it by ``name`` under ``OCTOGRAPH_ADAPTERS_DIR`` (``folder`` is where the
    training worker saved it); a router node uses it with ``{"mode": "functional-token",
    "adapter": name}``. ``graph``, ``version`` and ``router`` say what it was trained for: its
    candidates are that router's outgoing edges, in token order.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="router_adapters")
    name = models.CharField(max_length=200, unique=True)
    folder = models.CharField(max_length=1000)
    base_model = models.CharField(max_length=100)
    graph = models.ForeignKey(
        Graph, on_delete=models.SET_NULL, null=True, related_name="router_adapters"
    )
    version = models.PositiveIntegerField(help_text="the graph version it was trained from")
    router = models.CharField(max_length=200)
    val_accuracy = models.FloatField(null=True, blank=True)
    train_examples = models.PositiveIntegerField()
    validation_examples = models.PositiveIntegerField()

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"
