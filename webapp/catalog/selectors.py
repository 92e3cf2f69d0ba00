"""Reads for the catalog: built-in models, endpoints and router adapters visible to a user, and
the model keys a team's graphs may name."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from webapp.accounts.models import Team
from webapp.catalog import crypto
from webapp.catalog.models import Endpoint, RouterAdapter
from webapp.errors import NotFound
from workers.catalog import ModelEntry, default_catalog
from workers.routing.shipped import ShippedRouterAdapter, shipped_router_adapters


def builtin_models() -> list[ModelEntry]:
    """The models the workers can serve (``workers.catalog.default_catalog()``), in order."""
    catalog = default_catalog()
    keys = catalog.keys()  # a Catalog is not iterable itself
    return [catalog.get(key) for key in keys]


def endpoints_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(team__memberships__user_id=user.pk).select_related("team")


def router_adapters_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[RouterAdapter]:
    """The router adapters of the user's teams, newest first."""
    return RouterAdapter.objects.filter(team__memberships__user_id=user.pk).select_related("graph")


def builtin_router_adapters() -> list[ShippedRouterAdapter]:
    """The router adapters shipped with Octograph, which every team may use, by name."""
    return shipped_router_adapters()


def endpoint_for(*, user: AbstractBaseUser | AnonymousUser, endpoint_id: int) -> Endpoint:
    """One endpoint of the user's teams; ``NotFound`` for any other id."""
    endpoint = endpoints_visible_to(user).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("endpoint not found")
    return endpoint


def model_keys_for_team(team: Team) -> set[str]:
    """Every model key a graph of ``team`` may use: the built-in catalog plus its endpoints."""
    return set(default_catalog().keys()) | set(
        Endpoint.objects.filter(team=team).values_list("key", flat=True)
    )


def model_kinds_for_team(team: Team) -> dict[str, str]:
    """``{key: kind}`` of every model a graph of ``team`` may use (``model_keys_for_team``):
    the built-in catalog's kinds, ``openai`` for the team's endpoints."""
    catalog = default_catalog()
    keys = catalog.keys()  # a Catalog is not iterable itself
    kinds = {key: str(catalog.get(key).kind) for key in keys}
    for key in Endpoint.objects.filter(team=team).values_list("key", flat=True):
        kinds.setdefault(key, "openai")
    return kinds


def model_prices_for_team(team: Team) -> dict[str, float]:
    """``{key: USD per million tokens}`` of the models of ``team`` that have a price: the
    built-in catalog's (``price_per_million_tokens`` in ``OCTOGRAPH_MODELS_FILE``) and the
    team's endpoints'. An endpoint never overrides a built-in key (it cannot take one)."""
    prices = dict(
        Endpoint.objects.filter(team=team, price_per_million_tokens__isnull=False).values_list(
            "key", "price_per_million_tokens"
        )
    )
    prices.update(default_catalog().prices())
    return prices


def endpoint_api_key(endpoint: Endpoint) -> str | None:
    """The decrypted API key, for the code that calls the endpoint; None when none is set.

    Raises ``crypto.SecretError`` when it cannot be decrypted.
    """
    return crypto.decrypt(endpoint.api_key_encrypted) if endpoint.api_key_encrypted else None
