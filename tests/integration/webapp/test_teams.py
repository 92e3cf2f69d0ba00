"""Teams and memberships: owners manage members; a team always keeps an owner."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from webapp.accounts.models import Membership, Team


def test_creating_a_team_makes_the_creator_its_owner(as_editor: APIClient) -> None:
    response = as_editor.post("/api/teams/", {"name": "Lab"}, format="json")
    assert response.status_code == 201
    assert (response.json()["role"], response.json()["personal"]) == ("owner", False)


def test_owner_adds_a_member_with_a_role(
    as_owner: APIClient, team: Team, outsider: User, client_for: object
) -> None:
    response = as_owner.post(
        f"/api/teams/{team.pk}/members/", {"username": outsider.username, "role": "editor"}
    )
    assert response.status_code == 201
    assert Membership.objects.get(team=team, user=outsider).role == "editor"


def test_adding_an_existing_member_is_409(as_owner: APIClient, team: Team, viewer: User) -> None:
    response = as_owner.post(
        f"/api/teams/{team.pk}/members/", {"username": viewer.username, "role": "editor"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"


def test_adding_an_unknown_user_is_400(as_owner: APIClient, team: Team) -> None:
    response = as_owner.post(
        f"/api/teams/{team.pk}/members/", {"username": "ghost", "role": "viewer"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_user"


def test_the_last_owner_cannot_be_demoted_or_removed(
    as_owner: APIClient, team: Team, owner: User
) -> None:
    url = f"/api/teams/{team.pk}/members/{owner.pk}/"
    demoted = as_owner.patch(url, {"role": "editor"}, format="json")
    removed = as_owner.delete(url)
    assert (demoted.status_code, demoted.json()["code"]) == (409, "last_owner")
    assert (removed.status_code, removed.json()["code"]) == (409, "last_owner")


def test_an_owner_may_step_down_once_another_owner_exists(
    as_owner: APIClient, team: Team, owner: User, editor: User
) -> None:
    as_owner.patch(f"/api/teams/{team.pk}/members/{editor.pk}/", {"role": "owner"}, format="json")
    response = as_owner.patch(
        f"/api/teams/{team.pk}/members/{owner.pk}/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == "viewer"


def test_a_member_may_leave_a_team(as_viewer: APIClient, team: Team, viewer: User) -> None:
    assert as_viewer.delete(f"/api/teams/{team.pk}/members/{viewer.pk}/").status_code == 204
    assert as_viewer.get(f"/api/teams/{team.pk}/").status_code == 404


def test_personal_team_cannot_be_deleted_nor_shared(as_owner: APIClient, owner: User) -> None:
    personal = owner.personal_team
    deleted = as_owner.delete(f"/api/teams/{personal.pk}/")
    shared = as_owner.post(
        f"/api/teams/{personal.pk}/members/", {"username": "eddie", "role": "viewer"}
    )
    assert (deleted.status_code, deleted.json()["code"]) == (400, "personal_team")
    assert (shared.status_code, shared.json()["code"]) == (400, "personal_team")


def test_members_are_listed_with_their_roles(as_viewer: APIClient, team: Team) -> None:
    members = as_viewer.get(f"/api/teams/{team.pk}/members/").json()
    assert [(m["user"]["username"], m["role"]) for m in members] == [
        ("olivia", "owner"),
        ("eddie", "editor"),
        ("vera", "viewer"),
        ("bea", "viewer"),
    ]
