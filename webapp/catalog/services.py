"""Writes for the catalog: team endpoints (editors register, change and remove them) and router
adapters (registered by the training that made them)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from webapp.accounts.access import require_role
from webapp.accounts.models import Role, Team
from webapp.catalog import crypto, selectors
from webapp.catalog.connection_check import ConnectionReport, check_connection
from webapp.catalog.models import Endpoint, RouterAdapter
from webapp.errors import Conflict, Invalid
from webapp.graphstore.models import GraphVersion
from workers.catalog import CatalogError, default_catalog


class _Keep:
    """The default of an optional update argument that may also be set to None."""


KEEP = _Keep()


def _validate(endpoint: Endpoint) -> None:
    """Check with the workers' own catalog rules, so that an endpoint the web app accepts is one
    the workers can serve. Raises ``Invalid`` naming the field."""
    try:
        endpoint.model_entry()
    except CatalogError as exc:
        raise Invalid(str(exc), code="invalid_endpoint", field=exc.field) from None


@transaction.atomic
def endpoint_create(
    *,
    team: Team,
    actor: User,
    key: str,
    base_url: str,
    model_name: str,
    display_name: str = "",
    api_key: str = "",
    price_per_million_tokens: float | None = None,
) -> Endpoint:
    """Register an endpoint for ``team`` (editors); ``price_per_million_tokens`` (USD per million
    tokens in + out, >= 0) prices its tokens in experiments. Raises ``Invalid``
    (``invalid_endpoint``, naming the field) or ``Conflict`` (``key_taken``: a built-in model or
    another endpoint of the team has the key)."""
    require_role(user=actor, team=team, role=Role.EDITOR)
    endpoint = Endpoint(
        team=team,
        key=key,
        base_url=base_url,
        model_name=model_name,
        display_name=display_name,
        api_key_encrypted=crypto.encrypt(api_key) if api_key else "",
        price_per_million_tokens=price_per_million_tokens,
        created_by=actor,
    )
    _validate(endpoint)
    if key in default_catalog():
        raise Conflict(f"'{key}' is a built-in model; choose another key", code="key_taken")
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError:
        raise Conflict(f"the team already has an endpoint '{key}'", code="key_taken") from None
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    actor: User,
    base_url: str | None = None,
    model_name: str | None = None,
    display_name: str | None = None,
    api_key: str | None = None,
    price_per_million_tokens: float | _Keep | None = KEEP,
) -> Endpoint:
    """Change an endpoint (editors). None keeps a value; for ``api_key`` a string replaces the
    stored key and "" removes it; ``price_per_million_tokens`` is kept unless given (None
    removes the price). The ``key`` cannot change: graphs refer to it."""
    require_role(user=actor, team=endpoint.team, role=Role.EDITOR)
    if base_url is not None:
        endpoint.base_url = base_url
    if model_name is not None:
        endpoint.model_name = model_name
    if display_name is not None:
        endpoint.display_name = display_name
    if api_key is not None:
        endpoint.api_key_encrypted = crypto.encrypt(api_key) if api_key else ""
    if not isinstance(price_per_million_tokens, _Keep):
        endpoint.price_per_million_tokens = price_per_million_tokens
    _validate(endpoint)
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor: User) -> None:
    """Remove an endpoint (editors). Saved versions naming it stay as they are; saving them
    again reports the unknown model."""
    require_role(user=actor, team=endpoint.team, role=Role.EDITOR)
    endpoint.delete()


def endpoint_check_draft(
    *, team: Team, actor: User, base_url: str, model_name: str, api_key: str = ""
) -> ConnectionReport:
    """Test an endpoint before registering it (editors of ``team``: they choose the URL). The
    URL and model name must pass the catalog's rules first (``Invalid`` naming the field); then
    the report says whether the server answers (``connection_check``)."""
    require_role(user=actor, team=team, role=Role.EDITOR)
    _validate(Endpoint(team=team, key="draft", base_url=base_url, model_name=model_name))
    return check_connection(base_url=base_url, model_name=model_name, api_key=api_key or None)


def endpoint_check(
    *,
    endpoint: Endpoint,
    actor: User,
    base_url: str | None = None,
    model_name: str | None = None,
    api_key: str | None = None,
) -> ConnectionReport:
    """Test a registered endpoint with its stored key. Any member may test it as saved; trying
    changed values first (``base_url``, ``model_name``, ``api_key``: None keeps the stored one)
    is for editors, like the change itself. Nothing is saved. Raises ``crypto.SecretError``
    when the stored key cannot be decrypted."""
    if base_url is not None or model_name is not None or api_key is not None:
        require_role(user=actor, team=endpoint.team, role=Role.EDITOR)
    draft = Endpoint(
        team=endpoint.team,
        key=endpoint.key,
        base_url=base_url if base_url is not None else endpoint.base_url,
        model_name=model_name if model_name is not None else endpoint.model_name,
    )
    _validate(draft)
    key = api_key if api_key is not None else selectors.endpoint_api_key(endpoint)
    return check_connection(
        base_url=draft.base_url, model_name=draft.model_name, api_key=key or None
    )


def router_adapter_register(
    *,
    version: GraphVersion,
    router: str,
    name: str,
    folder: str,
    base_model: str,
    val_accuracy: float | None,
    train_examples: int,
    validation_examples: int,
    created_by: User | None,
) -> RouterAdapter:
    """Record the adapter a training of ``router`` on ``version`` saved as ``folder`` under
    ``name``, in the graph's team. Called by the training once it has finished (its start was
    authorised); the caller's transaction makes it atomic with the training's completion."""
    return RouterAdapter.objects.create(
        team_id=version.graph.team_id,
        name=name,
        folder=folder,
        base_model=base_model,
        graph_id=version.graph_id,
        version=version.number,
        router=router,
        val_accuracy=val_accuracy,
        train_examples=train_examples,
        validation_examples=validation_examples,
        created_by=created_by,
    )
