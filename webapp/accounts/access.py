"""Access checks every service runs before it writes (and views run before they read)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from webapp.accounts.models import Membership, Role, Team
from webapp.errors import Forbidden, NotFound


def require_role(
    *, user: AbstractBaseUser | AnonymousUser, team: Team, role: Role, what: str = "team"
) -> Membership:
    """Return ``user``'s membership of ``team`` when its role includes ``role``.

    Raises ``NotFound`` (naming ``what``) when the user is not a member at all, so that outsiders
    cannot tell a private object from a missing one, and ``Forbidden`` when the role is too low.
    """
    membership = Membership.objects.filter(team=team, user_id=user.pk).first() if user.pk else None
    if membership is None:
        raise NotFound(f"{what} not found")
    if not Role(membership.role).allows(role):
        raise Forbidden(
            f"this needs the {role.label.lower()} role in team '{team.name}'; "
            f"you are a {membership.role}",
            required_role=role.value,
        )
    return membership
