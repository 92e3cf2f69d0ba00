"""Writes for accounts and teams. Keyword-only, atomic, and access-checked before writing."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from webapp.accounts import tokens
from webapp.accounts.access import require_role
from webapp.accounts.models import ApiToken, Membership, Role, Team
from webapp.errors import Conflict, Invalid, NotFound


@transaction.atomic
def user_signup(*, username: str, password: str, email: str = "") -> User:
    """Create a user with a personal team they own.

    Raises ``Conflict`` (``username_taken``) or ``Invalid`` (``weak_password``, with every
    validator's message in ``problems``).
    """
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"the username '{username}' is taken", code="username_taken")
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise Invalid(
            "the password is too weak", code="weak_password", problems=list(exc.messages)
        ) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:  # a concurrent sign-up took the name between check and insert
        raise Conflict(f"the username '{username}' is taken", code="username_taken") from None
    team = Team.objects.create(name=f"{username} (personal)", personal_for=user)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return user


def token_issue(*, user: User) -> Token:
    """The user's API token, created on first use (one token per user)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def token_revoke(*, user: User) -> None:
    """Delete the user's API token; clients using it get 401 from now on."""
    Token.objects.filter(user=user).delete()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Give the user a new named API token. Returns it with its key, which is stored only as a
    digest and so can never be shown again.

    Raises ``Conflict`` (``token_name_taken``, ``field: name``) when the user already has a
    token of that name.
    """
    taken = Conflict(
        f"you already have a token named '{name}'; pick another name or revoke that one",
        code="token_name_taken",
        field="name",
    )
    if ApiToken.objects.filter(user=user, name=name).exists():
        raise taken
    made = tokens.new_key()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user, name=name, prefix=made.prefix, digest=made.digest
            )
    except IntegrityError:  # a concurrent request took the name between check and insert
        raise taken from None
    return token, made.key


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Delete one of the user's named tokens; clients using it get 401 from now on. Raises
    ``NotFound`` for any id that is not one of the user's tokens."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("token not found")


@transaction.atomic
def team_create(*, name: str, actor: User) -> Team:
    """Create a shared team; ``actor`` becomes its owner."""
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=actor, role=Role.OWNER)
    return team


@transaction.atomic
def team_rename(*, team: Team, actor: User, name: str) -> Team:
    """Owners only."""
    require_role(user=actor, team=team, role=Role.OWNER)
    team.name = name
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, team: Team, actor: User) -> None:
    """Delete a team with its graphs and endpoints. Owners only; a personal team cannot go."""
    require_role(user=actor, team=team, role=Role.OWNER)
    if team.personal_for_id is not None:
        raise Invalid("a personal team cannot be deleted", code="personal_team")
    team.delete()


@transaction.atomic
def membership_add(*, team: Team, actor: User, username: str, role: Role) -> Membership:
    """Add a user to a team. Owners only; personal teams have a single member.

    Raises ``Invalid`` (``unknown_user``, ``personal_team``) or ``Conflict`` (``already_member``).
    """
    require_role(user=actor, team=team, role=Role.OWNER)
    if team.personal_for_id is not None:
        raise Invalid(
            "a personal team has no other members; create a team to share", code="personal_team"
        )
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Invalid(f"no user is called '{username}'", code="unknown_user", field="username")
    if Membership.objects.filter(team=team, user=user).exists():
        raise Conflict(f"'{username}' is already a member", code="already_member")
    return Membership.objects.create(team=team, user=user, role=role)


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: Role) -> Membership:
    """Owners only. Refuses (``last_owner``) to leave the team without an owner."""
    locked = _lock_members(membership)
    require_role(user=actor, team=locked.team, role=Role.OWNER)
    if locked.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(locked)
    locked.role = role
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Owners may remove anyone; any member may leave. Refuses (``last_owner``) to remove the
    last owner."""
    locked = _lock_members(membership)
    if locked.user_id != actor.pk:
        require_role(user=actor, team=locked.team, role=Role.OWNER)
    if locked.role == Role.OWNER:
        _ensure_another_owner(locked)
    locked.delete()


def _lock_members(membership: Membership) -> Membership:
    """Lock the team's membership rows, so two owners demoting each other cannot both succeed."""
    rows = list(
        Membership.objects.select_for_update().filter(team_id=membership.team_id).order_by("id")
    )
    for row in rows:
        if row.pk == membership.pk:
            return row
    raise NotFound("member not found")


def _ensure_another_owner(membership: Membership) -> None:
    others = Membership.objects.filter(team_id=membership.team_id, role=Role.OWNER).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise Conflict("a team needs at least one owner; promote someone first", code="last_owner")
