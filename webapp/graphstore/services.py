"""Writes for the graph store. Keyword-only, atomic, access-checked before writing.

Every write that changes a spec creates a new ``GraphVersion``; none updates one. Specs are
validated with ``graphs.check`` against the models the team can use, and stored in the
normalised form ``GraphSpec.to_json()`` returns (the form the engine and canvas read).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

import graphs
from webapp.accounts.access import require_role
from webapp.accounts.models import Role, Team
from webapp.catalog.selectors import model_keys_for_team
from webapp.errors import Conflict, Invalid
from webapp.graphstore import limits, notify
from webapp.graphstore.models import Graph, GraphVersion, ShareLink

SLUG_MAX = 100


class InvalidGraph(Invalid):
    """The spec has problems; ``details["problems"]`` lists ``Problem.to_dict()`` for each."""

    def __init__(self, problems: list[graphs.Problem]) -> None:
        super().__init__(
            f"the graph has {len(problems)} problem(s); each names its node or edge",
            code="invalid_graph",
            problems=[problem.to_dict() for problem in problems],
        )


class VersionConflict(Conflict):
    """A save was based on ``expected_version`` but the graph has moved on to ``latest``."""

    def __init__(self, *, expected: int, latest: GraphVersion) -> None:
        super().__init__(
            f"version {expected} is not the latest: version {latest.number} was saved since; "
            "reload it, merge your changes and save again",
            code="version_conflict",
        )
        self.latest = latest


def validated_spec(*, spec: object, team: Team) -> dict[str, Any]:
    """The normalised spec JSON; raises ``GraphTooLarge`` for a spec past the graph limits
    (``webapp.graphstore.limits``: checked first, before anything walks it), then
    ``InvalidGraph`` listing every problem.

    Models must be known to the workers' catalog or be one of the team's endpoints.
    """
    limits.check_spec_limits(spec, limits.graph_limits())
    checked, problems = graphs.check(spec, known_models=model_keys_for_team(team))
    problems += [
        graphs.Problem("malformed", "text may not contain NUL (\\u0000) characters", field=path)
        for path in _paths_with_nul(spec)
    ]
    if problems or checked is None:
        raise InvalidGraph(problems)
    return checked.to_json()


def _paths_with_nul(spec: object) -> list[str]:
    """Paths (``nodes[1].config.system``), in document order, of strings and keys holding NUL,
    which PostgreSQL cannot store in JSON; checked here so that both databases accept the same
    specs. Iterative: no recursion however deep the spec (the limits bound its depth anyway)."""
    found: list[str] = []
    stack: list[tuple[object, str]] = [(spec, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                found.append(path or "spec")
        elif isinstance(value, dict):
            found += [f"{path}.{key}".lstrip(".") for key in value if "\x00" in str(key)]
            members = [(item, f"{path}.{key}".lstrip(".")) for key, item in value.items()]
            stack += reversed(members)
        elif isinstance(value, list):
            stack += reversed([(item, f"{path}[{index}]") for index, item in enumerate(value)])
    return found


@transaction.atomic
def graph_create(
    *,
    team: Team,
    actor: User,
    name: str,
    spec: Mapping[str, Any],
    description: str = "",
    slug: str = "",
    message: str = "",
    forked_from: GraphVersion | None = None,
) -> Graph:
    """Create a graph in ``team`` (editors) with ``spec`` as version 1.

    Without ``slug`` one is derived from ``name`` (made unique in the team). Raises
    ``InvalidGraph``, or ``Conflict`` (``slug_taken``) when an explicit ``slug`` is taken.
    """
    require_role(user=actor, team=team, role=Role.EDITOR)
    normalised = validated_spec(spec=spec, team=team)
    if slug and Graph.objects.filter(team=team, slug=slug).exists():
        raise Conflict(f"the team already has a graph '{slug}'", code="slug_taken", field="slug")
    try:
        with transaction.atomic():
            graph = Graph.objects.create(
                team=team,
                name=name,
                slug=slug or _free_slug(team, name),
                description=description,
                created_by=actor,
                forked_from=forked_from,
                latest_version=1,
            )
    except IntegrityError:  # another request took the slug between the check and the insert
        raise Conflict("that slug was just taken; try again", code="slug_taken") from None
    GraphVersion.objects.create(
        graph=graph, number=1, spec=normalised, message=message, author=actor
    )
    return graph


def _free_slug(team: Team, name: str) -> str:
    base = slugify(name)[: SLUG_MAX - 6].strip("-") or "graph"
    taken = set(
        Graph.objects.filter(team=team, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def graph_update(
    *,
    graph: Graph,
    actor: User,
    name: str | None = None,
    description: str | None = None,
    slug: str | None = None,
) -> Graph:
    """Change a graph's name, description or slug (editors); None keeps a value.

    Raises ``Conflict`` (``slug_taken``).
    """
    require_role(user=actor, team=graph.team, role=Role.EDITOR)
    if name is not None:
        graph.name = name
    if description is not None:
        graph.description = description
    if slug is not None and slug != graph.slug:
        if Graph.objects.filter(team=graph.team, slug=slug).exists():
            raise Conflict(
                f"the team already has a graph '{slug}'", code="slug_taken", field="slug"
            )
        graph.slug = slug
    try:
        with transaction.atomic():
            graph.save(update_fields=["name", "description", "slug", "updated_at"])
    except IntegrityError:
        raise Conflict("that slug was just taken; try again", code="slug_taken") from None
    return graph


@transaction.atomic
def graph_delete(*, graph: Graph, actor: User) -> None:
    """Delete a graph with all its versions and share links (owners)."""
    require_role(user=actor, team=graph.team, role=Role.OWNER)
    graph.delete()


def graph_save(
    *,
    graph: Graph,
    spec: Mapping[str, Any],
    actor: User,
    expected_version: int,
    message: str = "",
) -> GraphVersion:
    """Save ``spec`` as the graph's next version (editors).

    ``expected_version`` is the version the edit started from. The graph row is locked
    (``select_for_update``) while the latest number is compared and the version inserted, so of
    two saves from the same version exactly one succeeds and the other raises
    ``VersionConflict`` carrying the latest version: there is no silent last-write-wins. Raises
    ``InvalidGraph`` for a spec with problems. After the commit, everyone who has the graph open
    is told (``notify.version_saved``).
    """
    require_role(user=actor, team=graph.team, role=Role.EDITOR)
    normalised = validated_spec(spec=spec, team=graph.team)
    try:
        with transaction.atomic():
            locked = Graph.objects.select_for_update().get(pk=graph.pk)
            if locked.latest_version != expected_version:
                raise VersionConflict(
                    expected=expected_version,
                    latest=GraphVersion.objects.get(graph=locked, number=locked.latest_version),
                )
            version = GraphVersion.objects.create(
                graph=locked,
                number=locked.latest_version + 1,
                spec=normalised,
                message=message,
                author=actor,
            )
            locked.latest_version = version.number
            locked.save(update_fields=["latest_version", "updated_at"])
    except IntegrityError:
        # Databases without row locks (SQLite) serialise writers instead; the unique
        # (graph, number) constraint then turns the loser's insert into this error.
        graph.refresh_from_db(fields=["latest_version"])
        raise VersionConflict(
            expected=expected_version,
            latest=GraphVersion.objects.get(graph=graph, number=graph.latest_version),
        ) from None
    graph.latest_version = version.number
    notify.version_saved(version)
    return version


def version_restore(*, version: GraphVersion, actor: User, expected_version: int) -> GraphVersion:
    """Save an old version's spec as the newest version (editors); like ``graph_save``."""
    return graph_save(
        graph=version.graph,
        spec=version.spec,
        actor=actor,
        expected_version=expected_version,
        message=f"Restore version {version.number}",
    )


def graph_fork(*, version: GraphVersion, team: Team, actor: User, name: str = "") -> Graph:
    """Copy ``version`` into a new graph of ``team``.

    The actor needs to read the source (any role in its team) and to be an editor of ``team``.
    The spec is validated again, against the models ``team`` can use.
    """
    require_role(user=actor, team=version.graph.team, role=Role.VIEWER, what="graph")
    source = version.graph
    return graph_create(
        team=team,
        actor=actor,
        name=name or source.name,
        spec=version.spec,
        description=source.description,
        message=f"Forked from {source.name} v{version.number}",
        forked_from=version,
    )


@transaction.atomic
def share_link_create(*, version: GraphVersion, actor: User) -> ShareLink:
    """Create a public read-only link to ``version`` (editors: they can export it anyway)."""
    require_role(user=actor, team=version.graph.team, role=Role.EDITOR)
    return ShareLink.objects.create(
        version=version, token=secrets.token_urlsafe(32), created_by=actor
    )


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor: User) -> ShareLink:
    """Revoke a share link (editors); its token answers 404 from now on. Idempotent."""
    require_role(user=actor, team=link.version.graph.team, role=Role.EDITOR)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
